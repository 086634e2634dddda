package io.pel.samples.tasks;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.TaskType;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Dispatch overhead: submits many trivial tasks (add one to a number) through the embedded layer, keeping
 * a bounded window in flight as a well-behaved caller does, and reports tasks per second. The checksum
 * (sum of all results) proves every task ran exactly once.
 */
public final class TinyTasks {

  public static final TaskType<Long, Long> INCREMENT = TaskType.of("tiny.increment", Long.class, Long.class);

  /** What one run measured. */
  public record Result(long tasks, long checksum, long nanos) {
    public double tasksPerSecond() {
      return tasks * 1e9 / nanos;
    }
  }

  private TinyTasks() {}

  /** Registers the trivial handler on {@code layer}. */
  public static void register(ExecutionLayer layer) {
    layer.register(INCREMENT, (n, ctx) -> n + 1);
  }

  /** Runs {@code count} tasks with at most {@code window} in flight; fails if any task fails. */
  public static Result run(ExecutionLayer layer, long count, int window) throws InterruptedException {
    Semaphore permits = new Semaphore(window);
    LongAdder checksum = new LongAdder();
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    long start = System.nanoTime();
    for (long i = 0; i < count && firstFailure.get() == null; i++) {
      permits.acquire();
      CompletableFuture<Long> f = layer.submit(INCREMENT, i).toCompletableFuture();
      f.whenComplete((r, e) -> {
        if (e != null) firstFailure.compareAndSet(null, e);
        else checksum.add(r);
        permits.release();
      });
    }
    permits.acquire(window);
    long nanos = System.nanoTime() - start;
    if (firstFailure.get() != null) throw new IllegalStateException("a tiny task failed", firstFailure.get());
    return new Result(count, checksum.sum(), nanos);
  }

  /** The checksum {@link #run} must produce for {@code count} tasks: sum of 1..count. */
  public static long expectedChecksum(long count) {
    return count * (count + 1) / 2;
  }
}
