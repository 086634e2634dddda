package io.pel.streams.internal;

import io.pel.actors.TaskType;
import io.pel.actors.TypeRef;
import io.pel.streams.Aggregator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Everything a keyed aggregation is made of, checked once here so that every way of building one is.
 * {@link io.pel.streams.KeyedAggregation} is its public face.
 *
 * <p>The stream's elements ({@code T}) travel in batches to a routee, which runs them through {@code
 * steps} (the pipeline's maps, flat-maps and filters), keys what comes out with {@code key} and folds it
 * into one accumulator per key with the {@code aggregator}: the map-side combine. Each partition's
 * accumulators then go to the partition's routee, which combines them into its totals. Types past the
 * steps are erased here; the builder checked them.
 *
 * @param maxBatch the most elements per combining task, or 0 to size batches by measured cost
 * @param parallelism the most combining tasks and unacknowledged batches out at once, or 0 for two per routee
 */
public record AggregationSpec<T, K, R>(
    String name,
    List<Step> steps,
    Function<Object, Object> key,
    Aggregator<Object, Object, Object> aggregator,
    int partitions,
    int maxBatch,
    int parallelism) {

  /** Prefix of the task type that merges, drains and discards the aggregation's partitions. */
  public static final String TASK_TYPE_PREFIX = "pel.aggregate.";
  /** Prefix of the task type that combines a batch of elements on a routee. */
  public static final String COMBINE_TYPE_PREFIX = "pel.combine.";
  /** More partitions than this would cost more in tasks per batch than any cluster has routees to use. */
  public static final int MAX_PARTITIONS = 65_536;
  /** The most elements one combining task may be given by hand. */
  public static final int MAX_BATCH = 1 << 20;

  /**
   * One routee-side step of the pipeline: takes an element and hands zero or more on. {@code what} names
   * it in errors ("the map function").
   */
  public interface Step {
    void apply(Object element, Consumer<Object> next);

    String what();
  }

  /** Thrown by a step whose function returned or gave null; {@code message} says which ("returned null"). */
  public static final class NullOutput extends RuntimeException {
    public NullOutput(String message) {
      super(message, null, false, false);
    }
  }

  /** @throws IllegalArgumentException naming the setting and its bad value */
  public AggregationSpec {
    Objects.requireNonNull(name, "name");
    steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(aggregator, "aggregator");
    checkName(name);
    if (partitions < 1 || partitions > MAX_PARTITIONS) {
      throw new IllegalArgumentException("partitions must be between 1 and " + MAX_PARTITIONS + ", was " + partitions);
    }
    if (maxBatch < 0 || maxBatch > MAX_BATCH) {
      throw new IllegalArgumentException("batch size must be between 1 and " + MAX_BATCH + ", was " + maxBatch);
    }
    if (parallelism < 0) throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
  }

  /**
   * Checks that {@code name} can name the aggregation's task types.
   *
   * @throws IllegalArgumentException if it cannot, saying why
   */
  public static void checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) throw new IllegalArgumentException("aggregation name is empty");
    try {
      storeType(name);
      combineType(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("aggregation name '" + name + "' is not valid as part of its task type name: "
          + e.getMessage(), e);
    }
  }

  /** The task type the aggregation's partitions are merged, drained and discarded by. */
  public TaskType<PartitionStore.Command, PartitionStore.Reply> taskType() {
    return storeType(name);
  }

  /** The task type that combines a batch of the stream's elements into partials on a routee. */
  public TaskType<List<Object>, PartitionStore.Partials> combineTaskType() {
    return combineType(name);
  }

  private static TaskType<PartitionStore.Command, PartitionStore.Reply> storeType(String name) {
    return TaskType.of(TASK_TYPE_PREFIX + name, PartitionStore.Command.class, PartitionStore.Reply.class);
  }

  private static TaskType<List<Object>, PartitionStore.Partials> combineType(String name) {
    return TaskType.of(COMBINE_TYPE_PREFIX + name, new TypeRef<List<Object>>() {}, TypeRef.of(PartitionStore.Partials.class));
  }

  /** This spec with {@code partitions}; checked as by the constructor. */
  public AggregationSpec<T, K, R> withPartitions(int partitions) {
    return new AggregationSpec<>(name, steps, key, aggregator, partitions, maxBatch, parallelism);
  }

  /** This spec with at most {@code maxBatch} elements per combining task; checked as by the constructor. */
  public AggregationSpec<T, K, R> withMaxBatch(int maxBatch) {
    if (maxBatch < 1) throw new IllegalArgumentException("batch size must be between 1 and " + MAX_BATCH + ", was " + maxBatch);
    return new AggregationSpec<>(name, steps, key, aggregator, partitions, maxBatch, parallelism);
  }

  /** This spec with {@code parallelism}; checked as by the constructor. */
  public AggregationSpec<T, K, R> withParallelism(int parallelism) {
    if (parallelism < 1) throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
    return new AggregationSpec<>(name, steps, key, aggregator, partitions, maxBatch, parallelism);
  }
}
