package io.pel.actors;

/**
 * The node already holds as many accepted tasks as it may ({@code max-in-flight-per-worker × workers +
 * max-pending-per-node}, counting 16 per routee when that is {@code auto}); the task was not accepted. Retry later or slow down: nothing else is affected.
 */
public final class OverloadedException extends RuntimeException {

  private final int limit;

  public OverloadedException(int limit) {
    super("PEL node is at capacity (" + limit + " tasks accepted and not yet completed); task refused");
    this.limit = limit;
  }

  /** The number of accepted tasks at which this node refuses more. */
  public int limit() {
    return limit;
  }
}
