package io.pel.bench;

/**
 * One way of running a workload: a named body that does the whole workload once and returns its
 * checksum. Every engine of a workload must return the same checksum.
 */
public record Engine(String name, Body body) {

  /** A sequential loop on the calling thread. */
  public static final String SEQUENTIAL = "sequential";
  /** Java parallel streams on the ForkJoin common pool. */
  public static final String PARALLEL_STREAMS = "parallel-streams";
  /** Plain Pekko Streams, as a competent Pekko user writes it. */
  public static final String PEKKO_STREAMS = "pekko-streams";
  /**
   * PEL embedded, through {@code ParallelFlow.of(layer, type).unordered().flow()} with no tuning at all, as
   * the README shows it: the reference the other engines are compared with.
   */
  public static final String PEL_FLOW = "pel-flow";
  /** PEL embedded, through a {@code ParallelFlow} batched by hand ({@code batched(...)}): the expert's form. */
  public static final String PEL_BATCHED = "pel-batched";
  /** PEL embedded, through {@code ExecutionLayer.submit} with a bounded window in flight. */
  public static final String PEL_SUBMIT = "pel-submit";

  /** Runs the workload once. */
  @FunctionalInterface
  public interface Body {
    /** Does the whole workload and returns its checksum. */
    long run() throws Exception;
  }
}
