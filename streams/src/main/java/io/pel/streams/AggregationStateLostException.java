package io.pel.streams;

/**
 * A keyed aggregation's partition no longer holds every merge sent to it: the routee or node that held
 * it went away, or its run was discarded. The aggregate would be wrong, so the stream fails with this
 * instead of emitting it.
 */
public final class AggregationStateLostException extends IllegalStateException {

  private final String aggregation;
  private final int partition;
  private final long sent;
  private final long applied;

  /**
   * @param sent merges the stage sent to the partition, every one acknowledged
   * @param applied merges the partition's store holds
   */
  public AggregationStateLostException(String aggregation, int partition, long sent, long applied) {
    super("keyed aggregation '" + aggregation + "' lost state of partition " + partition + ": " + sent
        + " merges were acknowledged but the partition holds " + applied
        + " (the routee or node holding it went away, or the run was discarded)");
    this.aggregation = aggregation;
    this.partition = partition;
    this.sent = sent;
    this.applied = applied;
  }

  /** The name of the aggregation. */
  public String aggregation() {
    return aggregation;
  }

  /** The partition whose state is incomplete. */
  public int partition() {
    return partition;
  }

  /** How many merges the stage sent to the partition and saw acknowledged. */
  public long sent() {
    return sent;
  }

  /** How many of them the partition's store holds. */
  public long applied() {
    return applied;
  }
}
