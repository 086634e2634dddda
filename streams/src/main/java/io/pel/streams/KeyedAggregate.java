package io.pel.streams;

import java.util.Objects;

/**
 * One key's final aggregate, emitted by {@link KeyedAggregation#flow} once its input has completed.
 *
 * @param key a key the aggregation's key function returned
 * @param value the merge of every element with that key
 */
public record KeyedAggregate<K, A>(K key, A value) {

  /** @throws NullPointerException if {@code key} or {@code value} is null */
  public KeyedAggregate {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}
