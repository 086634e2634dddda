package io.pel.streams;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.StreamConverters;

/**
 * One key's final aggregate, emitted by {@link KeyedAggregation#flow} once its input has completed.
 *
 * @param key a key the aggregation's key function returned
 * @param value the result of every element with that key
 */
public record KeyedAggregate<K, A>(K key, A value) {

  /**
   * A sink that collects a {@link KeyedAggregation#flow}'s results into a map of key to result (a new map
   * per materialization).
   */
  public static <K, A> Sink<KeyedAggregate<K, A>, CompletionStage<Map<K, A>>> toMap() {
    return StreamConverters.javaCollector(() -> Collectors.toMap(KeyedAggregate::key, KeyedAggregate::value));
  }

  /** @throws NullPointerException if {@code key} or {@code value} is null */
  public KeyedAggregate {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}
