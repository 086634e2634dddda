package io.pel.streams;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Part of a keyed aggregation already done elsewhere, typically inside a task on a routee: the partial
 * aggregates of a batch of elements, one per key, already split by the aggregation's partitions. Made by
 * a {@link KeyedAggregation.Combiner}; consumed by {@link KeyedAggregation#partialsFlow} and {@link
 * KeyedAggregation#partialsSnapshots}, which ship each partition's map as it is, so that the stream's
 * thread does no work per key.
 *
 * <p>The maps belong to the partials once made: nobody may change them afterwards. In a cluster a
 * partials crosses the wire when a task returns it; its keys and aggregates must be registered with Kryo.
 *
 * @param aggregation the name of the aggregation the partials were combined for
 * @param partitions the entries of each partition ({@code null} where a partition got none); as many as
 *     the aggregation has partitions
 * @param elements how many elements were folded in
 * @param <K> the keys
 * @param <A> the aggregates
 */
public record KeyedPartials<K, A>(String aggregation, List<Map<Object, Object>> partitions, long elements) {

  /** @throws NullPointerException if {@code aggregation} or {@code partitions} is null */
  public KeyedPartials {
    Objects.requireNonNull(aggregation, "aggregation");
    Objects.requireNonNull(partitions, "partitions");
  }

  /** Keys over all partitions. */
  public int keys() {
    int keys = 0;
    for (Map<Object, Object> part : partitions) {
      if (part != null) keys += part.size();
    }
    return keys;
  }

  @Override
  public String toString() {
    return "KeyedPartials[" + aggregation + ", " + elements + " elements, " + keys() + " keys]";
  }
}
