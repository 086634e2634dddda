package io.pel.samples.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** StandardNormal and BlackScholes against reference values (Φ computed as erfc(-x/√2)/2 in double). */
class PricingTest {

  private static final double[][] CDF = {
    {0.0, 0.5},
    {0.5, 0.6914624612740131},
    {1.0, 0.8413447460685429},
    {-1.0, 0.15865525393145707},
    {1.96, 0.9750021048517795},
    {-2.5, 0.006209665325776139},
    {3.0, 0.9986501019683699},
    {-3.0, 0.0013498980316300957},
    {6.5, 0.99999999995984},
  };

  @Test
  void cdfMatchesReferenceValues() {
    for (double[] point : CDF) {
      assertEquals(point[1], StandardNormal.cdf(point[0]), 1e-15, "Φ(" + point[0] + ")");
    }
  }

  @Test
  void cdfIsAccurateRelativelyInTheFarLowerTail() {
    assertEquals(2.866515718791946e-07, StandardNormal.cdf(-5.0), 2.866515718791946e-07 * 1e-12);
    assertEquals(6.220960574271819e-16, StandardNormal.cdf(-8.0), 6.220960574271819e-16 * 1e-12);
  }

  @Test
  void cdfIsSymmetricMonotoneAndBounded() {
    double previous = 0.0;
    for (double x = -40; x <= 40; x += 0.01) {
      double p = StandardNormal.cdf(x);
      assertTrue(p >= previous && p <= 1.0, "at " + x);
      assertEquals(1.0, p + StandardNormal.cdf(-x), 2e-16, "symmetry at " + x);
      previous = p;
    }
    assertTrue(Double.isNaN(StandardNormal.cdf(Double.NaN)));
  }

  @Test
  void blackScholesMatchesTheTextbookCase() {
    assertEquals(10.450583572185565, BlackScholes.price(true, 100, 100, 0.05, 0.2, 1.0), 1e-12);
    assertEquals(5.573526022256971, BlackScholes.price(false, 100, 100, 0.05, 0.2, 1.0), 1e-12);
  }

  @Test
  void blackScholesSatisfiesPutCallParityAndExpiry() {
    double s = 87.5;
    double k = 95;
    double r = 0.03;
    double t = 0.4;
    double parity = BlackScholes.price(true, s, k, r, 0.3, t) - BlackScholes.price(false, s, k, r, 0.3, t);
    assertEquals(s - k * Math.exp(-r * t), parity, 1e-10);
    assertEquals(5.0, BlackScholes.price(true, 105, 100, r, 0.3, 0.0));
    assertEquals(0.0, BlackScholes.price(false, 105, 100, r, 0.3, -1.0));
  }

  @Test
  void choleskyRejectsAMatrixThatIsNotPositiveDefinite() {
    double[][] bad = {{1, 0.9, 0.9}, {0.9, 1, -0.9}, {0.9, -0.9, 1}};
    assertThrows(IllegalArgumentException.class, () -> PathSimulator.cholesky(bad));
    double[][] l = PathSimulator.cholesky(new double[][] {{4, 2}, {2, 3}});
    assertEquals(2.0, l[0][0]);
    assertEquals(1.0, l[1][0]);
    assertEquals(Math.sqrt(2.0), l[1][1], 1e-15);
  }
}
