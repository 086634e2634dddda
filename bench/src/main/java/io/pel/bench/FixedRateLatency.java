package io.pel.bench;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.TaskType;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Latency at a fixed rate, free of coordinated omission: task {@code i} is due at {@code t0 + i / rate}; the
 * sending thread parks until then, or sends at once when it is late, and never skips a task. A task's
 * latency runs from the time it was due, not the time it was sent, so a sender held up by a slow layer
 * charges the delay to every task it held up. Open loop: nothing bounds the tasks in flight, so a layer
 * that cannot keep up shows growing latencies (and past its admission limit, an {@code OverloadedException}
 * that fails the run).
 *
 * <p>Every latency is kept (8 bytes a task) and sorted at the end: exact percentiles, no histogram.
 */
final class FixedRateLatency {

  /**
   * One run.
   *
   * @param tasks tasks sent
   * @param rate the rate asked for, tasks/s
   * @param achievedRate tasks ÷ the time from {@code t0} to the last send plus one interval: {@code rate} when
   *     the sender kept up
   * @param latencyNanos every task's latency from its due time to its result, sorted
   * @param lateNanos how late the sender sent each task, sorted
   * @param cpuCores the CPU time the run cost, per second of the run: cores busy on average
   * @param checksum the wrapping sum of the results
   */
  record Result(long tasks, int rate, double achievedRate, long[] latencyNanos, long[] lateNanos, double cpuCores,
      long checksum) {

    /** The latency at quantile {@code q} (0 &lt; q ≤ 1), nearest rank, in µs. */
    double latencyMicros(double q) {
      return quantile(latencyNanos, q) / 1e3;
    }

    /** How late the sender was at quantile {@code q}, in µs. */
    double lateMicros(double q) {
      return quantile(lateNanos, q) / 1e3;
    }

    private static long quantile(long[] sorted, double q) {
      int rank = (int) Math.ceil(q * sorted.length);
      return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }
  }

  private FixedRateLatency() {}

  /**
   * Sends tasks {@code 0 .. tasks - 1} of {@code type} to {@code layer} at {@code rate} tasks/s from the
   * calling thread and waits for every result.
   *
   * @param cpuClock CPU time in nanoseconds of the processes the run involves (on a shared machine, the
   *     load of the run itself apart from everything else)
   * @throws IllegalStateException if a task failed
   * @throws TimeoutException if the results are not all in {@link BenchContext#RUN_LIMIT} after the last send
   */
  static Result run(ExecutionLayer layer, TaskType<Long, Long> type, int tasks, int rate, LongSupplier cpuClock)
      throws Exception {
    long[] latency = new long[tasks];
    long[] late = new long[tasks];
    LongAdder sum = new LongAdder();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(tasks);
    long cpu0 = cpuClock.getAsLong();
    long t0 = System.nanoTime();
    long lastSend = t0;
    for (int i = 0; i < tasks && failure.get() == null; i++) {
      long due = t0 + i * 1_000_000_000L / rate;
      long now;
      while ((now = System.nanoTime()) < due) LockSupport.parkNanos(due - now);
      late[i] = now - due;
      lastSend = now;
      int index = i;
      layer.submit(type, (long) i).whenComplete((result, error) -> {
        latency[index] = System.nanoTime() - due;
        if (error != null) failure.compareAndSet(null, error);
        else sum.add(result);
        done.countDown();
      });
    }
    if (failure.get() == null && !done.await(BenchContext.RUN_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new TimeoutException((done.getCount()) + " of " + tasks + " results still missing "
          + BenchContext.RUN_LIMIT.toMinutes() + " minutes after the last send");
    }
    double cpuCores = (double) (cpuClock.getAsLong() - cpu0) / (System.nanoTime() - t0);
    if (failure.get() != null) throw new IllegalStateException("a task failed", failure.get());
    Arrays.sort(latency);
    Arrays.sort(late);
    double achieved = tasks * 1e9 / (lastSend - t0 + 1_000_000_000L / rate);
    return new Result(tasks, rate, achieved, latency, late, cpuCores, sum.sum());
  }
}
