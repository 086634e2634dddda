package io.pel.samples.risk;

/** Black&ndash;Scholes prices of European options on a non-dividend-paying asset. */
public final class BlackScholes {

  private BlackScholes() {}

  /**
   * The price of a European call ({@code call}) or put.
   *
   * @param spot price of the underlying now, &gt; 0
   * @param strike strike, &gt; 0
   * @param rate continuously compounded risk-free rate per year
   * @param volatility annual volatility, &gt; 0
   * @param years time to maturity in years; at or below 0 the option is worth its intrinsic value
   */
  public static double price(boolean call, double spot, double strike, double rate, double volatility, double years) {
    if (years <= 0) return Math.max(call ? spot - strike : strike - spot, 0.0);
    double volRoot = volatility * Math.sqrt(years);
    double d1 = (Math.log(spot / strike) + (rate + 0.5 * volatility * volatility) * years) / volRoot;
    double d2 = d1 - volRoot;
    double discountedStrike = strike * Math.exp(-rate * years);
    return call
        ? spot * StandardNormal.cdf(d1) - discountedStrike * StandardNormal.cdf(d2)
        : discountedStrike * StandardNormal.cdf(-d2) - spot * StandardNormal.cdf(-d1);
  }
}
