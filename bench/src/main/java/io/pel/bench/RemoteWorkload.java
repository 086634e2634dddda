package io.pel.bench;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.TaskOutcome;
import io.pel.actors.TaskType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code remote}: the {@code tasks} workload's tiny tasks ({@code i -> mix(i)}) submitted from a client
 * layer in this JVM and run in a worker JVM on loopback ({@link RemoteWorkerJvm}), against the same client
 * code on this JVM's own layer. Two workloads of two engines each ({@value #IN_JVM} and {@value #CROSS_JVM}):
 * {@value #SUBMIT} submits one task at a time through a window, {@value #BATCH} submits batches. Then, apart
 * from the engines, latency at a fixed rate ({@link #latency}) on both layers.
 *
 * <p>Every run's checksum is checked against the one computed here, so a lost or doubled task fails the run.
 */
final class RemoteWorkload implements Workload {

  /** Tasks per run of {@value #SUBMIT} at scale 1. */
  static final long SUBMIT_FULL_SIZE = 500_000;
  /** Tasks per run of {@value #BATCH} at scale 1: ten times more, as each costs about a tenth. */
  static final long BATCH_FULL_SIZE = 5_000_000;
  /** Tasks of each latency run at scale 1: 5 s at the default rate. */
  static final long LATENCY_FULL_SIZE = 50_000;
  /** The default rate of the latency runs, tasks/s. */
  static final int DEFAULT_RATE = 10_000;
  /**
   * The least warm-up of each engine at scale 1. The JIT takes that long to compile the cross-JVM path of
   * both JVMs on 2 cores: runs of 500,000 tasks by submit took 0.76, 0.63, 0.63, 0.64, 0.56, 0.52, 0.53 and
   * 0.50 s one after the other, after one warm-up run (2026-12-02).
   */
  static final double WARMUP_SECONDS = 8;
  /** Tasks per {@code submitBatch}. */
  static final int BATCH_SIZE = 1024;
  /** Batches in flight at most. */
  static final int BATCH_WINDOW = 8;

  /** The workload of {@code submit}, one task at a time. */
  static final String SUBMIT = "remote-submit";
  /** The workload of {@code submitBatch}. */
  static final String BATCH = "remote-batch";
  /** The engine on this JVM's own layer. */
  static final String IN_JVM = "in-jvm";
  /** The engine on the client layer, whose tasks run in the worker JVM. */
  static final String CROSS_JVM = "cross-jvm";
  /**
   * The tasks of {@value #SUBMIT} and of the latency runs, and of {@value #BATCH}: each {@code i -> mix(i)},
   * with types of their own so that every workload registers its own beside the others on one layer.
   */
  static final TaskType<Long, Long> SUBMIT_TASK = TaskType.of("bench." + SUBMIT, Long.class, Long.class);
  static final TaskType<Long, Long> BATCH_TASK = TaskType.of("bench." + BATCH, Long.class, Long.class);

  /** One way of submitting tasks {@code 0 .. tasks - 1} of {@code type} to a layer; returns the sum of the results. */
  @FunctionalInterface
  private interface Submitter {
    long run(ExecutionLayer layer, TaskType<Long, Long> type, long tasks) throws Exception;
  }

  private final String name;
  private final TaskType<Long, Long> type;
  private final long tasks;
  private final Submitter submitter;
  private final ExecutionLayer client;

  private RemoteWorkload(String name, TaskType<Long, Long> type, long tasks, Submitter submitter, ExecutionLayer client) {
    this.name = name;
    this.type = type;
    this.tasks = tasks;
    this.submitter = submitter;
    this.client = client;
  }

  /** {@value #SUBMIT}: {@code tasks} tasks one by one, on this JVM's layer and through {@code client}. */
  static RemoteWorkload submit(long tasks, ExecutionLayer client) {
    return new RemoteWorkload(SUBMIT, SUBMIT_TASK, tasks, TasksWorkload::submitAll, client);
  }

  /** {@value #BATCH}: {@code tasks} tasks in batches, on this JVM's layer and through {@code client}. */
  static RemoteWorkload batches(long tasks, ExecutionLayer client) {
    return new RemoteWorkload(BATCH, BATCH_TASK, tasks, RemoteWorkload::submitBatches, client);
  }

  /** Registers the tasks of both remote workloads on {@code layer}: the worker's and the client's. */
  static void registerTasks(ExecutionLayer layer) {
    layer.register(SUBMIT_TASK, (i, ctx) -> Mix.mix(i));
    layer.register(BATCH_TASK, (i, ctx) -> Mix.mix(i));
  }

  @Override
  public String name() {
    return name;
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
  public double warmupSeconds() {
    return WARMUP_SECONDS;
  }

  @Override
  public void register(ExecutionLayer layer) {
    layer.register(type, (i, ctx) -> Mix.mix(i));
  }

  @Override
  public List<Engine> engines(BenchContext context) {
    long expected = checksum(tasks);
    return List.of(
        new Engine(IN_JVM, () -> checked(submitter.run(context.layer(), type, tasks), expected)),
        new Engine(CROSS_JVM, () -> checked(submitter.run(client, type, tasks), expected)));
  }

  /**
   * A latency run on {@code layer}, which has {@link #SUBMIT_TASK} registered: {@code tasks} tasks one by
   * one at {@code rate} tasks/s, its checksum checked, its CPU use that of {@code processes}.
   */
  static FixedRateLatency.Result latency(ExecutionLayer layer, long tasks, int rate, List<ProcessHandle> processes)
      throws Exception {
    FixedRateLatency.Result result = FixedRateLatency.run(layer, SUBMIT_TASK, Math.toIntExact(tasks), rate,
        () -> cpuNanos(processes));
    checked(result.checksum(), checksum(tasks));
    return result;
  }

  /** The CPU time {@code processes} have used so far, in nanoseconds. */
  private static long cpuNanos(List<ProcessHandle> processes) {
    long total = 0;
    for (ProcessHandle process : processes) {
      total += process.info().totalCpuDuration()
          .orElseThrow(() -> new IllegalStateException("no CPU time for process " + process.pid())).toNanos();
    }
    return total;
  }

  /** The wrapping sum of {@code mix(i)} for {@code i < n}: what every run must return. */
  static long checksum(long n) {
    long sum = 0;
    for (long i = 0; i < n; i++) sum += Mix.mix(i);
    return sum;
  }

  private static long checked(long checksum, long expected) {
    if (checksum != expected) {
      throw new IllegalStateException("checksum " + Bench.hex(checksum) + ", expected " + Bench.hex(expected));
    }
    return checksum;
  }

  /** Submits {@code tasks} tasks in batches of {@link #BATCH_SIZE} with at most {@link #BATCH_WINDOW} in flight. */
  private static long submitBatches(ExecutionLayer layer, TaskType<Long, Long> type, long tasks) throws Exception {
    Semaphore window = new Semaphore(BATCH_WINDOW);
    LongAdder sum = new LongAdder();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (long first = 0; first < tasks && failure.get() == null; first += BATCH_SIZE) {
      int size = (int) Math.min(BATCH_SIZE, tasks - first);
      List<Long> inputs = new ArrayList<>(size);
      for (long i = first; i < first + size; i++) inputs.add(i);
      window.acquire();
      layer.submitBatch(type, inputs).whenComplete((outcomes, error) -> {
        if (error != null) {
          failure.compareAndSet(null, error);
        } else {
          long batchSum = 0;
          for (TaskOutcome<Long> outcome : outcomes) {
            if (outcome.succeeded()) batchSum += outcome.result();
            else failure.compareAndSet(null, outcome.failure());
          }
          sum.add(batchSum);
        }
        window.release();
      });
    }
    window.acquire(BATCH_WINDOW);
    if (failure.get() != null) throw new IllegalStateException("a task failed", failure.get());
    return sum.sum();
  }
}
