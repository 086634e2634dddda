package io.pel.samples.risk;

/**
 * The standard normal distribution's density and cumulative distribution function, in plain Java.
 *
 * <p>The CDF uses two expansions, each where it converges fast: near the centre, the power series
 * {@code Φ(x) = 1/2 + φ(x) (x + x³/3 + x⁵/(3·5) + ...)}, whose terms are all of one sign; in the tails,
 * Laplace's continued fraction for the Mills ratio {@code Q(x)/φ(x) = 1/(x + 1/(x + 2/(x + 3/(x + ...))))},
 * evaluated with the modified Lentz method. Both stop once a term no longer changes the double result, so
 * the error stays near a few ulps of 1 near the centre and is relative in the far tails.
 */
public final class StandardNormal {

  private static final double INV_SQRT_2PI = 0.3989422804014327;
  /** Below this |x| the series is used; above, the continued fraction (both need under ~60 terms there). */
  private static final double SERIES_LIMIT = 3.0;
  private static final double TINY = 1e-300;
  private static final double EPSILON = 1e-16;
  private static final int MAX_TERMS = 500;
  /** 1/(2n+1) for the series, so its loop multiplies instead of dividing. */
  private static final double[] INV_ODD = new double[MAX_TERMS];

  static {
    for (int n = 0; n < MAX_TERMS; n++) INV_ODD[n] = 1.0 / (2 * n + 1);
  }

  private StandardNormal() {}

  /** The density φ(x). */
  public static double density(double x) {
    return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
  }

  /** Φ(x), the probability that a standard normal variable is at most {@code x}; NaN for NaN. */
  public static double cdf(double x) {
    if (Double.isNaN(x)) return Double.NaN;
    if (x > 38.5) return 1.0;
    if (x < -38.5) return 0.0;
    if (Math.abs(x) < SERIES_LIMIT) return 0.5 + density(x) * oddSeries(x);
    double upperTail = density(x) * millsRatio(Math.abs(x));
    return x > 0 ? 1.0 - upperTail : upperTail;
  }

  /** x + x³/3 + x⁵/(3·5) + ..., summed until a term stops mattering. */
  private static double oddSeries(double x) {
    double x2 = x * x;
    double term = x;
    double sum = x;
    for (int n = 1; n < MAX_TERMS; n++) {
      term *= x2 * INV_ODD[n];
      double next = sum + term;
      if (next == sum) break;
      sum = next;
    }
    return sum;
  }

  /** Q(x)/φ(x) for x > 0 by Lentz's method on 1/(x + 1/(x + 2/(x + ...))). */
  private static double millsRatio(double x) {
    double f = TINY;
    double c = f;
    double d = 0.0;
    for (int j = 1; j < MAX_TERMS; j++) {
      double a = j == 1 ? 1.0 : j - 1;
      d = x + a * d;
      if (d == 0.0) d = TINY;
      c = x + a / c;
      if (c == 0.0) c = TINY;
      d = 1.0 / d;
      double delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1.0) < EPSILON) break;
    }
    return f;
  }
}
