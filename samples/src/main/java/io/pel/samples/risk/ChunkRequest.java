package io.pel.samples.risk;

import java.util.Objects;

/**
 * Input of {@link RiskTasks#SIMULATE}: one chunk of paths to simulate.
 *
 * @param seed the run's seed; with {@code chunkIndex} it alone determines the chunk's random stream
 * @param chunkIndex position of the chunk in the run, from 0
 * @param paths paths to simulate, &gt; 0
 * @param tailSize how many of the largest losses to keep, 1..paths
 * @param portfolio what to simulate
 */
public record ChunkRequest(long seed, int chunkIndex, int paths, int tailSize, Portfolio portfolio) {
  public ChunkRequest {
    Objects.requireNonNull(portfolio, "portfolio");
    if (chunkIndex < 0) throw new IllegalArgumentException("chunkIndex must be >= 0, was " + chunkIndex);
    if (paths < 1) throw new IllegalArgumentException("paths must be >= 1, was " + paths);
    if (tailSize < 1 || tailSize > paths) {
      throw new IllegalArgumentException("tailSize must be 1.." + paths + ", was " + tailSize);
    }
  }
}
