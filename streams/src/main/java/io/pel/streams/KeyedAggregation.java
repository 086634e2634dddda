package io.pel.streams;

import io.pel.actors.ExecutionLayer;
import io.pel.streams.internal.AggregateOnCompletionStage;
import io.pel.streams.internal.AggregateSnapshotStage;
import io.pel.streams.internal.AggregationSpec;
import io.pel.streams.internal.CombineBuffer;
import io.pel.streams.internal.PartitionStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;

/**
 * Group by key into per-key state spread over the layer's routees: an immutable description of a keyed
 * aggregation, and the stream operators that run it.
 *
 * <p>The key space is cut into {@link #withPartitions partitions}. A stage folds its input into a local
 * accumulator per key ({@code zero}, then {@code add} per element: map-side combining, so a hot key costs
 * one entry per batch); each full or lingering batch is split by partition and shipped as one task per
 * partition, routed by a shard key so that each partition of a run lives on one routee, which merges it
 * into the partition's totals with {@code merge}. Partitions are read back ("drained") at the end, or at
 * every snapshot.
 *
 * <p>Guarantees: every element pulled is counted exactly once, also when PEL retries a merge (the store
 * applies each merge at most once). If a partition's state was lost (its node left, or the run was
 * discarded) the stream fails with {@link AggregationStateLostException} instead of emitting a wrong
 * total. The functions must follow these rules:
 *
 * <ul>
 *   <li>{@code key}, {@code zero} and {@code add} run in the stream, on the stage's thread; none may
 *       return {@code null}. {@code add} may update the accumulator it is given and return it: each batch
 *       gets fresh accumulators from {@code zero}.
 *   <li>{@code merge} runs on the routees, on every node of a cluster, concurrently for different
 *       partitions. It must be associative and commutative (merges of one partition may be applied in any
 *       order), must not return {@code null}, and must not modify either argument: totals handed out in
 *       snapshots may still be held by the store.
 *   <li>Keys need consistent {@code equals} and {@code hashCode} within one JVM; they need not agree
 *       between JVMs.
 *   <li>In a cluster, every key and accumulator class crosses the wire and must be registered with Kryo
 *       ({@code pel.serialization.classes} or a {@link io.pel.cluster.KryoRegistrar}); String, the boxed
 *       primitives and the JDK collections already are. A partition's changed keys come back in one message,
 *       which must stay under {@code pel.serialization.max-message-size}: use more partitions for more keys.
 * </ul>
 *
 * <pre>{@code
 * KeyedAggregation<String, String, Long> wordCount =
 *     KeyedAggregation.named("wordcount", (String word) -> word, () -> 0L, (n, word) -> n + 1, Long::sum);
 * wordCount.register(layer);
 * Source.from(words).via(wordCount.flow(layer)).runWith(Sink.seq(), layer.system());
 * }</pre>
 *
 * <p>Immutable and thread-safe; a flow may be materialized many times, each run with its own state.
 *
 * @param <T> the elements aggregated
 * @param <K> the keys
 * @param <A> the aggregate (accumulator) of one key
 */
public final class KeyedAggregation<T, K, A> {

  /** Partitions unless {@link #withPartitions} says otherwise. */
  public static final int DEFAULT_PARTITIONS = 32;
  /** Elements per batch unless {@link #withBatch} says otherwise. */
  public static final int DEFAULT_BATCH_SIZE = 1024;
  /** How long a batch waits to fill unless {@link #withBatch} says otherwise. */
  public static final Duration DEFAULT_BATCH_LINGER = Duration.ofMillis(50);
  /** Batches in flight unless {@link #withParallelism} says otherwise. */
  public static final int DEFAULT_PARALLELISM = 4;

  private final AggregationSpec<T, K, A> spec;

  private KeyedAggregation(AggregationSpec<T, K, A> spec) {
    this.spec = spec;
  }

  /**
   * A keyed aggregation with the default partitions, batching and parallelism.
   *
   * @param name names the aggregation's task type, {@code pel.aggregate.<name>}: letters, digits and
   *     {@code . _ - : /}; every node must use the same name for the same aggregation
   * @param key the key of an element
   * @param zero a new, empty accumulator
   * @param add folds one element into an accumulator
   * @param merge combines two accumulators of the same key
   * @throws IllegalArgumentException if {@code name} is empty or not usable in a task type name
   * @throws NullPointerException if an argument is null
   */
  public static <T, K, A> KeyedAggregation<T, K, A> named(String name, Function<? super T, ? extends K> key,
      Supplier<? extends A> zero, BiFunction<A, ? super T, A> add, BinaryOperator<A> merge) {
    return new KeyedAggregation<>(new AggregationSpec<>(name, key, zero, add, merge,
        DEFAULT_PARTITIONS, DEFAULT_BATCH_SIZE, DEFAULT_BATCH_LINGER, DEFAULT_PARALLELISM, false));
  }

  /**
   * This aggregation with the key space cut into {@code partitions}: more spread state and merging over
   * more routees, at the cost of up to one task per partition per batch.
   *
   * @throws IllegalArgumentException unless 1 &le; {@code partitions} &le; 65536
   */
  public KeyedAggregation<T, K, A> withPartitions(int partitions) {
    return new KeyedAggregation<>(spec.withPartitions(partitions));
  }

  /**
   * This aggregation shipping a batch once {@code size} elements are folded into it, or {@code maxLinger}
   * after its first element, whichever comes first.
   *
   * @throws IllegalArgumentException if {@code size} is less than 1 or {@code maxLinger} is not positive
   */
  public KeyedAggregation<T, K, A> withBatch(int size, Duration maxLinger) {
    return new KeyedAggregation<>(spec.withBatch(size, maxLinger));
  }

  /**
   * This aggregation keeping at most {@code parallelism} batches in flight (shipped, not yet merged);
   * upstream is not pulled beyond. Also the number of partitions drained at once by {@link #flow}.
   *
   * @throws IllegalArgumentException if {@code parallelism} is less than 1
   */
  public KeyedAggregation<T, K, A> withParallelism(int parallelism) {
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

  /** Elements per batch. */
  public int batchSize() {
    return spec.batchSize();
  }

  /** How long a batch waits to fill. */
  public Duration batchLinger() {
    return spec.linger();
  }

  /** Batches in flight at most. */
  public int parallelism() {
    return spec.parallelism();
  }

  /**
   * Registers the handler of this aggregation's partitions on {@code layer}'s node, as for a task type:
   * call it on every node, before running a flow (the node that runs the stream checks the task type
   * too). The node's routees share one store, so a routee restarted by supervision keeps its partitions;
   * a node that leaves takes its partitions with it, and streams using them fail.
   *
   * @return this aggregation, to chain {@link #flow} or {@link #snapshots}
   * @throws IllegalStateException if an aggregation of this name is already registered on the node
   */
  public KeyedAggregation<T, K, A> register(ExecutionLayer layer) {
    registerStore(layer);
    return this;
  }

  /** Registers the node's store and returns it, for tests to inspect. */
  PartitionStore registerStore(ExecutionLayer layer) {
    Objects.requireNonNull(layer, "layer");
    PartitionStore store = new PartitionStore(spec.name(), spec.merge());
    layer.register(spec.taskType(), store.handler());
    return store;
  }

  /**
   * Aggregates bounded input: once upstream completes, emits every key's aggregate exactly once, in no
   * particular order, then completes. Each materialization is a run of its own.
   *
   * <p><b>Emits when</b> upstream has completed, every batch is merged, and downstream demands; partitions
   * are read back as downstream takes their keys.
   *
   * <p><b>Backpressures when</b> {@code parallelism} batches are in flight; until upstream completes it
   * emits nothing, so it pulls regardless of downstream demand.
   *
   * <p><b>Completes when</b> every aggregate has been emitted; the partitions' state is removed.
   *
   * <p><b>Cancels when</b> downstream cancels; the run's state is then discarded (best effort).
   *
   * <p><b>Fails when</b> upstream fails, {@code key}, {@code zero} or {@code add} throws or returns null,
   * a merge or drain task fails (its {@link io.pel.actors.TaskFailedException}, or the layer's refusal),
   * or a partition lost state ({@link AggregationStateLostException}); the run's state is discarded.
   */
  public Flow<T, KeyedAggregate<K, A>, NotUsed> flow(ExecutionLayer layer) {
    Objects.requireNonNull(layer, "layer");
    return Flow.fromGraph(new AggregateOnCompletionStage<>(spec, layer));
  }

  /**
   * Aggregates unbounded input, emitting an {@link AggregateSnapshot} of the keys changed since the
   * previous one every {@code interval}, and a last one when upstream completes. Keeping the latest value
   * of every key of every snapshot gives exactly the totals of the elements covered.
   *
   * <p><b>Emits when</b> a snapshot is complete and downstream demands. A snapshot is taken every {@code
   * interval} unless one is being taken, the previous one still waits for demand, or no element arrived
   * since the previous one; sequence numbers have no gaps.
   *
   * <p><b>Backpressures when</b> {@code parallelism} batches are in flight, and while a snapshot is taken
   * (every merge is acknowledged and the partitions are read before pulling resumes).
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
  public Flow<T, AggregateSnapshot<K, A>, NotUsed> snapshots(ExecutionLayer layer, Duration interval) {
    Objects.requireNonNull(layer, "layer");
    checkInterval(interval);
    return Flow.fromGraph(new AggregateSnapshotStage<>(spec, layer, interval));
  }

  /**
   * A map-side combiner for this aggregation: folds elements with {@code key}, {@code zero} and {@code add}
   * into one partial aggregate per key, split by partition, ready for {@link #partialsFlow} or {@link
   * #partialsSnapshots}. Use it where the elements are made (inside a task that produces many elements,
   * say), so that neither the elements nor their keys pass through the stream one by one.
   */
  public Combiner<T, K, A> combiner() {
    return new Combiner<>(spec);
  }

  /**
   * {@code aggregates}, one partial aggregate per key combined by the caller's own means (counted into a
   * {@code HashMap}, say), split by partition for {@link #partialsFlow} or {@link #partialsSnapshots}. The
   * map is copied; the aggregates are not and must not change afterwards.
   *
   * @param elements how many elements the aggregates cover, for the caller's bookkeeping (reported by
   *     {@link KeyedPartials#elements()})
   * @throws NullPointerException if a key or an aggregate is null
   */
  public KeyedPartials<K, A> partials(Map<? extends K, ? extends A> aggregates, long elements) {
    Objects.requireNonNull(aggregates, "aggregates");
    return partialsOf(spec, CombineBuffer.split(aggregates, spec.partitions(), spec.name()), elements);
  }

  /**
   * A map-side combiner of one batch of elements. Not thread-safe: one per task or thread. After {@link
   * #finish} it starts a new, empty batch.
   */
  public static final class Combiner<T, K, A> {

    private final AggregationSpec<T, K, A> spec;
    private final CombineBuffer<T, K, A> buffer;

    private Combiner(AggregationSpec<T, K, A> spec) {
      this.spec = spec;
      this.buffer = new CombineBuffer<>(spec);
    }

    /**
     * Folds {@code element} into its key's partial aggregate.
     *
     * @throws NullPointerException if {@code key}, {@code zero} or {@code add} returns null
     */
    public Combiner<T, K, A> add(T element) {
      buffer.add(element);
      return this;
    }

    /** The elements folded since the last {@code finish}, as partials; the combiner starts again empty. */
    public KeyedPartials<K, A> finish() {
      long elements = buffer.elements();
      return partialsOf(spec, buffer.split(), elements);
    }
  }

  /** Partials of {@code spec}'s aggregation; the list is an ArrayList, which Kryo knows, with nulls kept. */
  private static <K, A> KeyedPartials<K, A> partialsOf(AggregationSpec<?, K, A> spec, Map<Object, Object>[] parts,
      long elements) {
    return new KeyedPartials<>(spec.name(), new ArrayList<>(Arrays.asList(parts)), elements);
  }

  /**
   * As {@link #flow}, for input already combined into {@link KeyedPartials} by this aggregation's {@link
   * #combiner}: each partials is shipped as one batch of its own, one merge per partition it touches,
   * without touching its keys on the stream's thread.
   *
   * <p><b>Fails when</b> as {@link #flow}, and when a partials was combined for another aggregation
   * (another name or number of partitions): {@link IllegalArgumentException} naming both.
   */
  public Flow<KeyedPartials<K, A>, KeyedAggregate<K, A>, NotUsed> partialsFlow(ExecutionLayer layer) {
    Objects.requireNonNull(layer, "layer");
    return Flow.fromGraph(new AggregateOnCompletionStage<>(spec.forPartials(), layer));
  }

  /**
   * As {@link #snapshots}, for input already combined into {@link KeyedPartials}; see {@link #partialsFlow}.
   *
   * @throws IllegalArgumentException if {@code interval} is not positive
   */
  public Flow<KeyedPartials<K, A>, AggregateSnapshot<K, A>, NotUsed> partialsSnapshots(ExecutionLayer layer,
      Duration interval) {
    Objects.requireNonNull(layer, "layer");
    checkInterval(interval);
    return Flow.fromGraph(new AggregateSnapshotStage<>(spec.forPartials(), layer, interval));
  }

  private static void checkInterval(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("snapshot interval must be positive, was " + interval);
    }
  }

  @Override
  public String toString() {
    return "KeyedAggregation[" + spec.name() + ", partitions=" + spec.partitions() + ", batch=" + spec.batchSize()
        + "/" + spec.linger() + ", parallelism=" + spec.parallelism() + "]";
  }
}
