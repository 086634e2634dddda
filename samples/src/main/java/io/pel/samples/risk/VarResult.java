package io.pel.samples.risk;

/**
 * Output of {@link RiskTasks#VAR}: the run's 99% figures.
 *
 * @param paths paths simulated
 * @param chunks chunks they were split into
 * @param tailSize K, the number of tail paths: ceil(1% of paths)
 * @param valueAtRisk VaR 99%: the K-th largest loss
 * @param expectedShortfall ES 99%: the mean of the K largest losses
 */
public record VarResult(int paths, int chunks, int tailSize, double valueAtRisk, double expectedShortfall) {

  /** True when both figures are bit-for-bit the same as {@code other}'s. */
  public boolean sameFigures(VarResult other) {
    return Double.doubleToLongBits(valueAtRisk) == Double.doubleToLongBits(other.valueAtRisk)
        && Double.doubleToLongBits(expectedShortfall) == Double.doubleToLongBits(other.expectedShortfall);
  }
}
