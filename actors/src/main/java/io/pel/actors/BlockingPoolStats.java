package io.pel.actors;

/**
 * This node's blocking pool at one moment (see {@link TaskType#asBlocking()} and {@code pel.blocking-pool}).
 *
 * @param threads threads it has now
 * @param target threads it may have: its size as last decided
 * @param busy threads running an attempt
 * @param idle threads waiting for an attempt they may take
 * @param queued attempts waiting for a thread
 * @param completed attempts it has run, in all
 */
public record BlockingPoolStats(int threads, int target, int busy, int idle, int queued, long completed) {

  /** A node without a pool ({@code pel.blocking-pool.max-threads = 0}). */
  public static final BlockingPoolStats NONE = new BlockingPoolStats(0, 0, 0, 0, 0, 0);
}
