package io.pel.samples.risk;

import java.util.Objects;

/**
 * Input of {@link RiskTasks#VAR}: a whole value-at-risk run.
 *
 * @param seed seed of the run; the same seed gives the same figures however the chunks are scheduled
 * @param paths paths to simulate, &gt; 0
 * @param chunkSize paths per chunk (the last chunk may have fewer), &gt; 0
 * @param portfolio what to simulate
 */
public record VarRequest(long seed, int paths, int chunkSize, Portfolio portfolio) {
  public VarRequest {
    Objects.requireNonNull(portfolio, "portfolio");
    if (paths < 1) throw new IllegalArgumentException("paths must be >= 1, was " + paths);
    if (chunkSize < 1) throw new IllegalArgumentException("chunkSize must be >= 1, was " + chunkSize);
  }
}
