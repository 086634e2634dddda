package io.pel.streams;

import java.util.Map;
import java.util.Objects;

/**
 * What changed in a running aggregation, emitted by {@link KeyedAggregation#snapshots}.
 *
 * <p>A snapshot is consistent: it covers every element the stage had taken from upstream when it was
 * begun and none after. {@code changed} holds each key touched since the previous snapshot with its
 * <em>current</em> total, so a consumer that keeps the latest value per key holds exactly the totals of
 * every element covered so far.
 *
 * @param sequence 1 for the first snapshot of a stream, then one more for each snapshot emitted
 * @param changed the keys touched since the previous snapshot, each with its total over all elements
 *     covered; immutable
 * @param last {@code true} for the final snapshot, emitted when the input completed
 */
public record AggregateSnapshot<K, A>(long sequence, Map<K, A> changed, boolean last) {

  /**
   * Copies {@code changed}.
   *
   * @throws NullPointerException if {@code changed} is null or holds a null key or value
   * @throws IllegalArgumentException if {@code sequence} is less than 1
   */
  public AggregateSnapshot {
    if (sequence < 1) throw new IllegalArgumentException("sequence must be at least 1, was " + sequence);
    changed = Map.copyOf(Objects.requireNonNull(changed, "changed"));
  }
}
