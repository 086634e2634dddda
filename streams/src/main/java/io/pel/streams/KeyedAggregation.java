package io.pel.streams;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.TypeRef;
import io.pel.streams.internal.AggregateOnCompletionStage;
import io.pel.streams.internal.AggregateSnapshotStage;
import io.pel.streams.internal.AggregationSpec;
import io.pel.streams.internal.CombineBuffer;
import io.pel.streams.internal.PartitionStore;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;

/**
 * Group by key and aggregate, in parallel over the layer's routees: an immutable description of a keyed
 * aggregation, and the two stream operators that run it, {@link #flow} (bounded input: every key's result
 * once it completes) and {@link #snapshots} (unbounded input: the changed keys every interval).
 *
 * <pre>{@code
 * KeyedAggregation<String, String, Long> wordCount = KeyedAggregation.named("wordcount", String.class)
 *     .flatMap(line -> List.of(line.split(" ")))
 *     .groupingKey(word -> word)
 *     .aggregate(Aggregators.counting())
 *     .register(layer);
 * Source.from(lines).via(wordCount.flow(layer)).runWith(KeyedAggregate.toMap(), layer.system());
 * }</pre>
 *
 * <p>How it runs. The stage gathers the stream's elements into batches, which form by themselves: small
 * while the routees have room, growing to about 100 ms of routee work under load. A routee runs a
 * batch through the pipeline's steps ({@link Pipeline#map map}, {@link Pipeline#flatMap flatMap}, {@link
 * Pipeline#filter filter}), keys what comes out and folds it into one accumulator per key with the {@link
 * Aggregator}: the map-side combine, so a hot key costs one entry per batch. The key space is cut into
 * {@link #withPartitions partitions}; each partition of a run lives on one routee (by shard key), which
 * combines each batch's accumulators into the partition's totals. Partitions are read back ("drained") at
 * the end, or at every snapshot, and finished into results. The stream's own thread touches no key.
 *
 * <p>Guarantees: every element pulled is counted exactly once, also when PEL retries a combine or a merge
 * (the store applies each merge at most once). If a partition's state was lost (its node left, or the run
 * was discarded) the stream fails with {@link AggregationStateLostException} instead of emitting a wrong
 * total. If a step, the key function or the aggregator throws or returns {@code null}, the stream fails
 * with the task's {@link io.pel.actors.TaskFailedException}, whose message names the aggregation, the
 * function and the element or key; the run's state is discarded and the layer goes on with other work.
 *
 * <p>The functions run on PEL's workers, on every node of a cluster, concurrently for different batches:
 * they must be thread-safe and should not block. Keys need consistent {@code equals} and {@code hashCode}
 * within one JVM; they need not agree between JVMs. In a cluster the stream's elements, the keys,
 * accumulators and results cross the wire and must be registered with Kryo ({@code
 * pel.serialization.classes} or a {@link io.pel.cluster.KryoRegistrar}); String, the boxed primitives,
 * the JDK collections and {@link Aggregators}' accumulators already are. A partition's changed keys come
 * back in one message, which must stay under {@code pel.serialization.max-message-size}: use more
 * partitions for more keys.
 *
 * <p>Immutable and thread-safe; a flow may be materialized many times, each run with its own state.
 *
 * @param <T> the stream's elements
 * @param <K> the keys
 * @param <R> the result of one key
 */
public final class KeyedAggregation<T, K, R> {

  /** Partitions unless {@link #withPartitions} says otherwise. */
  public static final int DEFAULT_PARTITIONS = 32;

  private final AggregationSpec<T, K, R> spec;

  private KeyedAggregation(AggregationSpec<T, K, R> spec) {
    this.spec = spec;
  }

  /**
   * Starts describing a keyed aggregation of a stream of {@code elements}.
   *
   * @param name names the aggregation's task types, {@code pel.combine.<name>} and {@code
   *     pel.aggregate.<name>}: letters, digits and {@code . _ - : /}; every node must use the same name for
   *     the same aggregation
   * @throws IllegalArgumentException if {@code name} is empty or not usable in a task type name
   * @throws NullPointerException if an argument is null
   */
  public static <T> Pipeline<T, T> named(String name, Class<T> elements) {
    Objects.requireNonNull(elements, "elements");
    AggregationSpec.checkName(name);
    return new Pipeline<>(name, List.of());
  }

  /** As {@link #named(String, Class)}, for a generic element type such as {@code List<String>}. */
  public static <T> Pipeline<T, T> named(String name, TypeRef<T> elements) {
    Objects.requireNonNull(elements, "elements");
    AggregationSpec.checkName(name);
    return new Pipeline<>(name, List.of());
  }

  /**
   * The steps run on the routees before grouping, from the stream's {@code T} to the {@code E} that is
   * grouped. Immutable: each method returns a new pipeline.
   */
  public static final class Pipeline<T, E> {
    private final String name;
    private final List<AggregationSpec.Step> steps;

    private Pipeline(String name, List<AggregationSpec.Step> steps) {
      this.name = name;
      this.steps = steps;
    }

    private <E2> Pipeline<T, E2> then(AggregationSpec.Step step) {
      List<AggregationSpec.Step> more = new java.util.ArrayList<>(steps);
      more.add(step);
      return new Pipeline<>(name, List.copyOf(more));
    }

    /** Each element becomes {@code fn(element)}, which must not be null. */
    public <E2> Pipeline<T, E2> map(Function<? super E, ? extends E2> fn) {
      Objects.requireNonNull(fn, "fn");
      return then(step("the map function", (element, next) -> {
        Object out = fn.apply(cast(element));
        if (out == null) throw new AggregationSpec.NullOutput("returned null");
        next.accept(out);
      }));
    }

    /** Each element becomes the elements of {@code fn(element)}: none, one or many, none of them null. */
    public <E2> Pipeline<T, E2> flatMap(Function<? super E, ? extends Iterable<? extends E2>> fn) {
      Objects.requireNonNull(fn, "fn");
      return then(step("the flatMap function", (element, next) -> {
        Iterable<? extends E2> out = fn.apply(cast(element));
        if (out == null) throw new AggregationSpec.NullOutput("returned null");
        for (E2 e : out) next.accept(nonNull(e));
      }));
    }

    /**
     * Each element becomes whatever {@code fn} hands to its consumer, as {@link java.util.stream.Stream#mapMulti}:
     * the form without a collection per element, {@code (line, words) -> tokenize(line, words)}.
     */
    public <E2> Pipeline<T, E2> mapMulti(BiConsumer<? super E, ? super Consumer<E2>> fn) {
      Objects.requireNonNull(fn, "fn");
      return then(step("the mapMulti function", (element, next) ->
          fn.accept(cast(element), (Consumer<E2>) e -> next.accept(nonNull(e)))));
    }

    /** Keeps the elements {@code keep} is true of. */
    public Pipeline<T, E> filter(Predicate<? super E> keep) {
      Objects.requireNonNull(keep, "keep");
      return then(step("the filter predicate", (element, next) -> {
        if (keep.test(cast(element))) next.accept(element);
      }));
    }

    /** Groups the elements by {@code key}, which must not return null. */
    public <K> Grouping<T, E, K> groupingKey(Function<? super E, ? extends K> key) {
      Objects.requireNonNull(key, "key");
      return new Grouping<>(name, steps, key);
    }

    @SuppressWarnings("unchecked")
    private E cast(Object element) {
      return (E) element;
    }
  }

  /** A pipeline grouped by key, waiting for its {@link Aggregator}. */
  public static final class Grouping<T, E, K> {
    private final String name;
    private final List<AggregationSpec.Step> steps;
    private final Function<? super E, ? extends K> key;

    private Grouping(String name, List<AggregationSpec.Step> steps, Function<? super E, ? extends K> key) {
      this.name = name;
      this.steps = steps;
      this.key = key;
    }

    /** Aggregates each key's elements with {@code aggregator} ({@link Aggregators} has the common ones). */
    @SuppressWarnings("unchecked")
    public <R> KeyedAggregation<T, K, R> aggregate(Aggregator<? super E, ?, R> aggregator) {
      Objects.requireNonNull(aggregator, "aggregator");
      return new KeyedAggregation<>(new AggregationSpec<>(name, steps, (Function<Object, Object>) key,
          (Aggregator<Object, Object, Object>) aggregator, DEFAULT_PARTITIONS, 0, 0));
    }
  }

  private static Object nonNull(Object element) {
    if (element == null) throw new AggregationSpec.NullOutput("gave a null element");
    return element;
  }

  private static AggregationSpec.Step step(String what, BiConsumer<Object, Consumer<Object>> apply) {
    return new AggregationSpec.Step() {
      @Override
      public void apply(Object element, Consumer<Object> next) {
        apply.accept(element, next);
      }

      @Override
      public String what() {
        return what;
      }
    };
  }

  /**
   * This aggregation with the key space cut into {@code partitions}: more spread state and merging over
   * more routees, at the cost of up to one merge task per partition per batch.
   *
   * @throws IllegalArgumentException unless 1 &le; {@code partitions} &le; 65536
   */
  public KeyedAggregation<T, K, R> withPartitions(int partitions) {
    return new KeyedAggregation<>(spec.withPartitions(partitions));
  }

  /**
   * This aggregation combining at most {@code maxElements} stream elements per task, instead of batches
   * sized by themselves from the measured cost of an element.
   *
   * @throws IllegalArgumentException unless 1 &le; {@code maxElements} &le; 1048576
   */
  public KeyedAggregation<T, K, R> withBatch(int maxElements) {
    return new KeyedAggregation<>(spec.withMaxBatch(maxElements));
  }

  /**
   * This aggregation keeping at most {@code parallelism} batches out (being combined, or with merges not yet
   * acknowledged), instead of two per routee; also the number of partitions drained at once.
   *
   * @throws IllegalArgumentException if {@code parallelism} is less than 1
   */
  public KeyedAggregation<T, K, R> withParallelism(int parallelism) {
    return new KeyedAggregation<>(spec.withParallelism(parallelism));
  }

  /** The aggregation's name. */
  public String name() {
    return spec.name();
  }

  /** Its number of partitions. */
  public int partitions() {
    return spec.partitions();
  }

  /**
   * Registers this aggregation's two task types on {@code layer}'s node: combining batches, and the
   * partitions' store. Call it on every node, before running a flow (the node that runs the stream checks
   * the task types too). The node's routees share one store, so a routee restarted by supervision keeps
   * its partitions; a node that leaves takes its partitions with it, and streams using them fail.
   *
   * @return this aggregation, to chain {@link #flow} or {@link #snapshots}
   * @throws IllegalStateException if an aggregation of this name is already registered on the node
   */
  public KeyedAggregation<T, K, R> register(ExecutionLayer layer) {
    registerStore(layer);
    return this;
  }

  /** Registers both task types and returns the node's store, for tests to inspect. */
  PartitionStore registerStore(ExecutionLayer layer) {
    Objects.requireNonNull(layer, "layer");
    PartitionStore store = new PartitionStore(spec.name(), spec.aggregator());
    layer.register(spec.combineTaskType(), CombineBuffer.handler(spec));
    layer.register(spec.taskType(), store.handler());
    return store;
  }

  /**
   * Aggregates bounded input: once upstream completes, emits every key's result exactly once, in no
   * particular order, then completes. Each materialization is a run of its own.
   *
   * <p><b>Emits when</b> upstream has completed, every batch is merged, and downstream demands; partitions
   * are read back as downstream takes their keys.
   *
   * <p><b>Backpressures when</b> every batch slot is taken and the next batch is full; until upstream
   * completes it emits nothing, so it pulls regardless of downstream demand.
   *
   * <p><b>Completes when</b> every result has been emitted; the partitions' state is removed.
   *
   * <p><b>Cancels when</b> downstream cancels; the run's state is then discarded (best effort).
   *
   * <p><b>Fails when</b> upstream fails; a combine, merge or drain task fails (its {@link
   * io.pel.actors.TaskFailedException}, naming the function that threw or returned null, or the layer's
   * refusal: an unknown task type, a closed layer); or a partition lost state ({@link
   * AggregationStateLostException}). The run's state is discarded. A full layer ({@link
   * io.pel.actors.OverloadedException}) is not a failure: the stage offers the task again once the layer
   * has room, and backpressures meanwhile.
   */
  public Flow<T, KeyedAggregate<K, R>, NotUsed> flow(ExecutionLayer layer) {
    Objects.requireNonNull(layer, "layer");
    return Flow.fromGraph(new AggregateOnCompletionStage<>(spec, layer));
  }

  /**
   * Aggregates unbounded input, emitting an {@link AggregateSnapshot} of the keys changed since the
   * previous one every {@code interval}, and a last one when upstream completes. Keeping the latest value
   * of every key of every snapshot gives exactly the results of the elements covered.
   *
   * <p><b>Emits when</b> a snapshot is complete and downstream demands. A snapshot is taken every {@code
   * interval} unless one is being taken, the previous one still waits for demand, or no element arrived
   * since the previous one; sequence numbers have no gaps.
   *
   * <p><b>Backpressures when</b> every batch slot is taken and the next batch is full, and while a snapshot
   * is taken (every batch taken before it is combined and merged, and the partitions are read, before
   * pulling resumes).
   *
   * <p><b>Completes when</b> upstream completes and the last snapshot ({@code last = true}) has been
   * emitted; the partitions' state is removed.
   *
   * <p><b>Cancels when</b> downstream cancels; the run's state is then discarded (best effort).
   *
   * <p><b>Fails when</b> as {@link #flow}.
   *
   * @throws IllegalArgumentException if {@code interval} is not positive
   */
  public Flow<T, AggregateSnapshot<K, R>, NotUsed> snapshots(ExecutionLayer layer, Duration interval) {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("snapshot interval must be positive, was " + interval);
    }
    return Flow.fromGraph(new AggregateSnapshotStage<>(spec, layer, interval));
  }

  @Override
  public String toString() {
    return "KeyedAggregation[" + spec.name() + ", partitions=" + spec.partitions()
        + ", batch=" + (spec.maxBatch() == 0 ? "sized by itself" : "at most " + spec.maxBatch())
        + ", parallelism=" + (spec.parallelism() == 0 ? "two per routee" : spec.parallelism()) + "]";
  }
}
