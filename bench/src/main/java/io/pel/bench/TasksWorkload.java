package io.pel.bench;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.TaskType;
import io.pel.streams.ParallelFlow;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongUnaryOperator;
import java.util.stream.LongStream;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * {@code tasks}: many tiny independent tasks; task {@code i} returns {@link Mix#mix mix(i)}, the checksum
 * is the wrapping sum of the results. What it measures is what one task costs to dispatch.
 */
public final class TasksWorkload implements Workload {

  /** Tasks at scale 1. */
  public static final long FULL_SIZE = 1_000_000;
  /** The task: {@code i -> mix(i)}. */
  public static final TaskType<Long, Long> MIX = TaskType.of("bench.mix", Long.class, Long.class);
  /** Tasks per batch of the hand-batched ParallelFlow, {@code pel-batched}. */
  public static final int FLOW_BATCH = 1024;
  /** Tasks in flight at most through {@code submit}. */
  public static final int SUBMIT_WINDOW = 4096;

  private final long tasks;

  public TasksWorkload(long tasks) {
    this.tasks = tasks;
  }

  @Override
  public String name() {
    return "tasks";
  }

  @Override
  public String unit() {
    return "tasks";
  }

  @Override
  public double amount() {
    return tasks;
  }

  @Override
  public void register(ExecutionLayer layer) {
    layer.register(MIX, (i, ctx) -> Mix.mix(i));
  }

  @Override
  public List<Engine> engines(BenchContext context) {
    return List.of(
        new Engine(Engine.SEQUENTIAL, () -> {
          long sum = 0;
          for (long i = 0; i < tasks; i++) sum += Mix.mix(i);
          return sum;
        }),
        new Engine(Engine.PARALLEL_STREAMS, () -> LongStream.range(0, tasks).parallel().map(Mix::mix).sum()),
        new Engine(Engine.PEKKO_STREAMS, () -> pekkoMap(context, tasks, Mix::mix)),
        new Engine(Engine.PEL_FLOW, () -> runFlow(context.layer(), tasks)),
        new Engine(Engine.PEL_BATCHED, () -> BenchContext.await(indices(tasks)
            .via(ParallelFlow.of(context.layer(), MIX).unordered().batched(FLOW_BATCH, Duration.ofMillis(5)).flow())
            .runWith(sum(), context.layer().system()))),
        new Engine(Engine.PEL_SUBMIT, () -> submitAll(context.layer(), MIX, tasks)));
  }

  /** Runs {@code tasks} tasks through the PEL flow this workload measures and returns the checksum. */
  static long runFlow(ExecutionLayer layer, long tasks) throws Exception {
    return BenchContext.await(indices(tasks).via(flow(layer)).runWith(sum(), layer.system()));
  }

  /** The PEL flow as a newcomer writes it: unordered, nothing tuned. */
  static Flow<Long, Long, NotUsed> flow(ExecutionLayer layer) {
    return ParallelFlow.of(layer, MIX).unordered().flow();
  }

  /**
   * The plain Pekko Streams baseline of a map over 0 until {@code count}: each element a future on the
   * Pekko system's dispatcher, {@code mapAsyncUnordered}, then the wrapping sum.
   */
  static long pekkoMap(BenchContext context, long count, LongUnaryOperator function) throws Exception {
    Executor executor = context.pekko().executionContext();
    return BenchContext.await(indices(count)
        .mapAsyncUnordered(BenchContext.pekkoParallelism(),
            i -> CompletableFuture.supplyAsync(() -> function.applyAsLong(i), executor))
        .runWith(sum(), context.pekko()));
  }

  /** 0, 1, ..., count - 1. */
  static Source<Long, NotUsed> indices(long count) {
    return Source.fromIterator(() -> LongStream.range(0, count).iterator());
  }

  /** The wrapping sum of a stream of longs. */
  static Sink<Long, java.util.concurrent.CompletionStage<Long>> sum() {
    return Sink.fold(0L, Long::sum);
  }

  /**
   * Submits tasks {@code 0 .. tasks - 1} of {@code type} (an {@code i -> mix(i)} task) one by one with at
   * most {@link #SUBMIT_WINDOW} in flight, as a well-behaved caller does, and returns the sum of the results.
   */
  static long submitAll(ExecutionLayer layer, TaskType<Long, Long> type, long tasks) throws Exception {
    Semaphore window = new Semaphore(SUBMIT_WINDOW);
    LongAdder sum = new LongAdder();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (long i = 0; i < tasks && failure.get() == null; i++) {
      window.acquire();
      layer.submit(type, i).whenComplete((result, error) -> {
        if (error != null) failure.compareAndSet(null, error);
        else sum.add(result);
        window.release();
      });
    }
    window.acquire(SUBMIT_WINDOW);
    if (failure.get() != null) throw new IllegalStateException("a task failed", failure.get());
    return sum.sum();
  }
}
