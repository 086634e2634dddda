package io.pel.samples.risk;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What the risk sample values: stock positions in correlated assets that follow geometric Brownian
 * motion, and European options on them, over a horizon of daily steps.
 *
 * @param assets the assets and the quantity held of each
 * @param correlation correlation matrix of the assets' daily log returns (symmetric, positive definite)
 * @param options option positions, revalued with Black&ndash;Scholes at the horizon
 * @param riskFreeRate continuously compounded rate per year, for option prices
 * @param horizonDays trading days to the horizon, one simulation step each
 */
public record Portfolio(
    List<Asset> assets, double[][] correlation, List<Option> options, double riskFreeRate, int horizonDays) {

  /** Trading days per year, to turn days into years. */
  public static final double TRADING_DAYS = 252.0;

  /**
   * One asset and the position in it.
   *
   * @param drift expected annual log-return drift before the volatility correction
   * @param volatility annual volatility
   * @param quantity units held (negative: short)
   */
  public record Asset(String name, double spot, double drift, double volatility, double quantity) {
    public Asset {
      Objects.requireNonNull(name, "name");
      if (!(spot > 0) || !(volatility > 0)) {
        throw new IllegalArgumentException("asset " + name + " needs spot > 0 and volatility > 0");
      }
    }
  }

  /**
   * A European option position.
   *
   * @param asset index of the underlying in {@link Portfolio#assets()}
   * @param call call when true, put when false
   * @param maturityYears time to maturity today, in years
   * @param quantity options held (negative: written)
   */
  public record Option(int asset, boolean call, double strike, double maturityYears, double quantity) {}

  public Portfolio {
    assets = List.copyOf(assets);
    options = List.copyOf(options);
    int n = assets.size();
    if (n == 0) throw new IllegalArgumentException("a portfolio needs at least one asset");
    if (correlation.length != n) throw new IllegalArgumentException("correlation must be " + n + " x " + n);
    correlation = Arrays.stream(correlation).map(double[]::clone).toArray(double[][]::new);
    for (double[] row : correlation) {
      if (row.length != n) throw new IllegalArgumentException("correlation must be " + n + " x " + n);
    }
    for (Option option : options) {
      if (option.asset() < 0 || option.asset() >= n) {
        throw new IllegalArgumentException("option on asset " + option.asset() + ": there are " + n + " assets");
      }
    }
    if (horizonDays < 1) throw new IllegalArgumentException("horizonDays must be >= 1, was " + horizonDays);
  }

  /**
   * The sample's book: five correlated equities, a written call and a bought put, valued over ten trading
   * days.
   */
  public static Portfolio sample() {
    return new Portfolio(
        List.of(
            new Asset("ALFA", 100.0, 0.06, 0.25, 1_000),
            new Asset("BETA", 50.0, 0.05, 0.30, 2_000),
            new Asset("GAMA", 75.0, 0.04, 0.20, 1_500),
            new Asset("DLTA", 120.0, 0.08, 0.35, 800),
            new Asset("EPSN", 30.0, 0.07, 0.40, 3_000)),
        new double[][] {
          {1.0, 0.6, 0.4, 0.3, 0.2},
          {0.6, 1.0, 0.5, 0.3, 0.2},
          {0.4, 0.5, 1.0, 0.4, 0.3},
          {0.3, 0.3, 0.4, 1.0, 0.5},
          {0.2, 0.2, 0.3, 0.5, 1.0}
        },
        List.of(new Option(0, true, 105.0, 0.5, -500), new Option(3, false, 110.0, 0.25, 1_000)),
        0.03,
        10);
  }

  /** A copy of the correlation matrix. */
  @Override
  public double[][] correlation() {
    return Arrays.stream(correlation).map(double[]::clone).toArray(double[][]::new);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Portfolio p
        && assets.equals(p.assets)
        && Arrays.deepEquals(correlation, p.correlation)
        && options.equals(p.options)
        && Double.compare(riskFreeRate, p.riskFreeRate) == 0
        && horizonDays == p.horizonDays;
  }

  @Override
  public int hashCode() {
    return Objects.hash(assets, Arrays.deepHashCode(correlation), options, riskFreeRate, horizonDays);
  }

  @Override
  public String toString() {
    return "Portfolio[" + assets.size() + " assets, " + options.size() + " options, " + horizonDays + " days]";
  }
}
