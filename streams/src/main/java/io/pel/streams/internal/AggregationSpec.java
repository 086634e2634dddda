package io.pel.streams.internal;

import io.pel.actors.TaskType;
import io.pel.streams.KeyedPartials;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Everything a keyed aggregation is made of, checked once here so that every way of building one is.
 * {@link io.pel.streams.KeyedAggregation} is its public face. With {@code partialsInput} the stages'
 * elements are {@link KeyedPartials} combined elsewhere, and {@code key} and {@code add} are not used.
 */
public record AggregationSpec<T, K, A>(
    String name,
    Function<? super T, ? extends K> key,
    Supplier<? extends A> zero,
    BiFunction<A, ? super T, A> add,
    BinaryOperator<A> merge,
    int partitions,
    int batchSize,
    Duration linger,
    int parallelism,
    boolean partialsInput) {

  /** Prefix of the aggregation's task type name. */
  public static final String TASK_TYPE_PREFIX = "pel.aggregate.";
  /** More partitions than this would cost more in tasks per batch than any cluster has routees to use. */
  public static final int MAX_PARTITIONS = 65_536;

  /** @throws IllegalArgumentException naming the setting and its bad value */
  public AggregationSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(zero, "zero");
    Objects.requireNonNull(add, "add");
    Objects.requireNonNull(merge, "merge");
    Objects.requireNonNull(linger, "linger");
    if (name.isEmpty()) throw new IllegalArgumentException("aggregation name is empty");
    try {
      taskType(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("aggregation name '" + name + "' is not valid as part of its task type name: "
          + e.getMessage(), e);
    }
    if (partitions < 1 || partitions > MAX_PARTITIONS) {
      throw new IllegalArgumentException("partitions must be between 1 and " + MAX_PARTITIONS + ", was " + partitions);
    }
    if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
    if (linger.isNegative() || linger.isZero()) {
      throw new IllegalArgumentException("batch linger must be positive, was " + linger);
    }
    if (parallelism < 1) throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
  }

  /** The task type the aggregation's partitions are merged, drained and discarded by. */
  public TaskType<PartitionStore.Command, PartitionStore.Reply> taskType() {
    return taskType(name);
  }

  private static TaskType<PartitionStore.Command, PartitionStore.Reply> taskType(String name) {
    return TaskType.of(TASK_TYPE_PREFIX + name, PartitionStore.Command.class, PartitionStore.Reply.class);
  }

  /** This spec with {@code partitions}; checked as by the constructor. */
  public AggregationSpec<T, K, A> withPartitions(int partitions) {
    return new AggregationSpec<>(name, key, zero, add, merge, partitions, batchSize, linger, parallelism, partialsInput);
  }

  /** This spec with {@code batchSize} and {@code linger}; checked as by the constructor. */
  public AggregationSpec<T, K, A> withBatch(int batchSize, Duration linger) {
    return new AggregationSpec<>(name, key, zero, add, merge, partitions, batchSize, linger, parallelism, partialsInput);
  }

  /** This spec with {@code parallelism}; checked as by the constructor. */
  public AggregationSpec<T, K, A> withParallelism(int parallelism) {
    return new AggregationSpec<>(name, key, zero, add, merge, partitions, batchSize, linger, parallelism, partialsInput);
  }

  /** This aggregation taking {@link KeyedPartials} made by its combiner as elements. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public AggregationSpec<KeyedPartials<K, A>, K, A> forPartials() {
    return (AggregationSpec) new AggregationSpec<>(name, key, zero, add, merge, partitions, batchSize, linger, parallelism, true);
  }

  /**
   * Checks that {@code partials} were combined for this aggregation.
   *
   * @throws IllegalArgumentException naming both aggregations if they were not
   */
  public void checkPartials(KeyedPartials<?, ?> partials) {
    if (!partials.aggregation().equals(name) || partials.partitions().size() != partitions) {
      throw new IllegalArgumentException("keyed aggregation '" + name + "' (" + partitions + " partitions) got partials "
          + "combined for '" + partials.aggregation() + "' (" + partials.partitions().size() + " partitions)");
    }
  }
}
