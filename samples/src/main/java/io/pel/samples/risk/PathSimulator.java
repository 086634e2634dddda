package io.pel.samples.risk;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Simulates a {@link Portfolio} to its horizon and reports the loss of each path.
 *
 * <p>Each day every asset's log price moves by {@code (μ − σ²/2)Δt + σ√Δt ε}, where the ε are standard
 * normals correlated through the Cholesky factor of the portfolio's correlation matrix. At the horizon the
 * stocks are marked at their simulated prices and the options are repriced with Black&ndash;Scholes for
 * their remaining maturity. The loss of a path is the portfolio's value today minus its value then.
 *
 * <p>The random numbers of a chunk come from one stream seeded from (seed, chunk index) alone, so a chunk
 * gives the same losses whichever thread, routee or attempt runs it. Immutable and thread-safe.
 */
public final class PathSimulator {

  private final Portfolio portfolio;
  private final int assets;
  private final double[][] cholesky;
  private final double[] logSpot;
  private final double[] stepDrift;
  private final double[] stepVolatility;
  private final double horizonYears;
  private final double initialValue;

  /** @throws IllegalArgumentException if the correlation matrix is not positive definite */
  public PathSimulator(Portfolio portfolio) {
    this.portfolio = portfolio;
    List<Portfolio.Asset> list = portfolio.assets();
    this.assets = list.size();
    this.cholesky = cholesky(portfolio.correlation());
    this.logSpot = new double[assets];
    this.stepDrift = new double[assets];
    this.stepVolatility = new double[assets];
    double dt = 1.0 / Portfolio.TRADING_DAYS;
    for (int i = 0; i < assets; i++) {
      Portfolio.Asset a = list.get(i);
      logSpot[i] = Math.log(a.spot());
      stepDrift[i] = (a.drift() - 0.5 * a.volatility() * a.volatility()) * dt;
      stepVolatility[i] = a.volatility() * Math.sqrt(dt);
    }
    this.horizonYears = portfolio.horizonDays() * dt;
    double[] spots = list.stream().mapToDouble(Portfolio.Asset::spot).toArray();
    this.initialValue = value(spots, 0.0);
  }

  /** The portfolio's value today. */
  public double initialValue() {
    return initialValue;
  }

  /** The losses of {@code paths} paths of chunk {@code chunkIndex}, in the order simulated. */
  public double[] losses(long seed, int chunkIndex, int paths) {
    SplittableRandom random = new SplittableRandom(streamSeed(seed, chunkIndex));
    double[] losses = new double[paths];
    double[] logPrice = new double[assets];
    double[] normals = new double[assets];
    double[] prices = new double[assets];
    for (int p = 0; p < paths; p++) {
      System.arraycopy(logSpot, 0, logPrice, 0, assets);
      for (int day = 0; day < portfolio.horizonDays(); day++) {
        for (int i = 0; i < assets; i++) normals[i] = random.nextGaussian();
        for (int i = 0; i < assets; i++) {
          double[] row = cholesky[i];
          double shock = 0.0;
          for (int j = 0; j <= i; j++) shock += row[j] * normals[j];
          logPrice[i] += stepDrift[i] + stepVolatility[i] * shock;
        }
      }
      for (int i = 0; i < assets; i++) prices[i] = Math.exp(logPrice[i]);
      losses[p] = initialValue - value(prices, horizonYears);
    }
    return losses;
  }

  /**
   * The seed of chunk {@code chunkIndex}'s random stream: both inputs pass through the SplitMix64
   * finaliser, so neighbouring seeds and chunks get unrelated streams.
   */
  static long streamSeed(long seed, int chunkIndex) {
    return mix64(mix64(seed) + chunkIndex);
  }

  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private double value(double[] prices, double yearsElapsed) {
    double total = 0.0;
    List<Portfolio.Asset> list = portfolio.assets();
    for (int i = 0; i < assets; i++) total += list.get(i).quantity() * prices[i];
    for (Portfolio.Option o : portfolio.options()) {
      Portfolio.Asset underlying = list.get(o.asset());
      double price = BlackScholes.price(o.call(), prices[o.asset()], o.strike(), portfolio.riskFreeRate(),
          underlying.volatility(), o.maturityYears() - yearsElapsed);
      total += o.quantity() * price;
    }
    return total;
  }

  /** The lower-triangular L with L Lᵀ = {@code matrix}. */
  static double[][] cholesky(double[][] matrix) {
    int n = matrix.length;
    double[][] l = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = matrix[i][j];
        for (int k = 0; k < j; k++) sum -= l[i][k] * l[j][k];
        if (i == j) {
          if (!(sum > 0)) throw new IllegalArgumentException("correlation matrix is not positive definite");
          l[i][i] = Math.sqrt(sum);
        } else {
          l[i][j] = sum / l[j][j];
        }
      }
    }
    return l;
  }
}
