package io.pel.samples.risk;

import io.pel.samples.UsageException;
import java.util.List;
import java.util.Map;

/**
 * The risk sample's command line: {@code [--paths N] [--seed S] [--chunk C]}.
 *
 * @param paths paths to simulate
 * @param seed seed of the run
 * @param chunkSize paths per chunk; by default about {@value #DEFAULT_CHUNKS} chunks
 */
public record RiskOptions(int paths, long seed, int chunkSize) {

  public static final int DEFAULT_PATHS = 1_000_000;
  public static final long DEFAULT_SEED = 42L;
  /** Chunks a run is split into when {@code --chunk} is not given. */
  public static final int DEFAULT_CHUNKS = 128;
  /** Every chunk's tail is held until the combine, so memory grows with the paths; this bounds it. */
  public static final int MAX_PATHS = 20_000_000;
  /** Each chunk is one task; this keeps a run well inside a node's default admission limit. */
  public static final int MAX_CHUNKS = 5_000;

  static final String USAGE = """
      usage: ./pel run risk [--paths N] [--seed S] [--chunk C]
        --paths N   Monte Carlo paths, 1..%,d (default %,d)
        --seed S    seed of the run, any 64-bit integer (default %d)
        --chunk C   paths per task (default: paths / %d, rounded up; at most %,d chunks)"""
      .formatted(MAX_PATHS, DEFAULT_PATHS, DEFAULT_SEED, DEFAULT_CHUNKS, MAX_CHUNKS);

  /** The chunk size that splits {@code paths} into about {@value #DEFAULT_CHUNKS} chunks. */
  public static int defaultChunkSize(int paths) {
    return Math.max(1, (paths + DEFAULT_CHUNKS - 1) / DEFAULT_CHUNKS);
  }

  /**
   * Parses {@code args}.
   *
   * @throws UsageException naming the argument and the value when one is unknown, missing or out of range
   */
  public static RiskOptions parse(List<String> args) throws UsageException {
    Map<String, String> options = UsageException.options(args, "--paths", "--seed", "--chunk");
    int paths = (int) UsageException.wholeNumber(options, "--paths", 1, MAX_PATHS, DEFAULT_PATHS);
    long seed = UsageException.wholeNumber(options, "--seed", Long.MIN_VALUE, Long.MAX_VALUE, DEFAULT_SEED);
    Integer chunk = options.containsKey("--chunk") ? (int) UsageException.wholeNumber("--chunk", options.get("--chunk"), 1, MAX_PATHS) : null;
    int chunkSize = chunk == null ? defaultChunkSize(paths) : chunk;
    long chunks = (paths + (long) chunkSize - 1) / chunkSize;
    if (chunks > MAX_CHUNKS) {
      throw new UsageException("--chunk " + chunkSize + " splits " + paths + " paths into " + chunks
          + " chunks; at most " + MAX_CHUNKS + " are allowed");
    }
    return new RiskOptions(paths, seed, chunkSize);
  }
}
