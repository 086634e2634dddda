package io.pel.bench;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.TaskType;
import java.util.Arrays;

/**
 * {@code latency}: what one task costs its caller on an idle layer, in this JVM. One task at a time, each
 * submitted once the one before has returned its result to the calling thread, so nothing queues and no
 * batching helps: {@code submit}, the supervisor's routing, the routee, the answer, and the caller's
 * wake-up. A warm-up of the same round trips comes first.
 */
final class IdleLatency {

  /** Measured round trips at scale 1. */
  static final long FULL_SIZE = 20_000;
  /** Unmeasured round trips before, at scale 1. */
  static final long WARMUP_FULL_SIZE = 5_000;
  /** The target: issue 16's, for the median. */
  static final double TARGET_P50_MICROS = 50;
  /** The task: {@code i -> i}, so the round trip is all there is. */
  static final TaskType<Long, Long> TASK = TaskType.of("bench.idle-latency", Long.class, Long.class);

  /**
   * The round trips' latencies, sorted.
   *
   * @param nanos each round trip, from {@code submit} to its result in the caller's hands
   */
  record Result(long[] nanos) {
    /** The {@code q} quantile (0..1, nearest rank), µs. */
    double micros(double q) {
      int rank = (int) Math.ceil(q * nanos.length);
      return nanos[Math.max(0, Math.min(nanos.length - 1, rank - 1))] / 1e3;
    }

    /** Whether the median meets {@link #TARGET_P50_MICROS}. */
    boolean met() {
      return micros(0.5) <= TARGET_P50_MICROS;
    }
  }

  private IdleLatency() {}

  /** Registers the task on {@code layer}. */
  static void register(ExecutionLayer layer) {
    layer.register(TASK, (i, ctx) -> i);
  }

  /** {@code warmups} round trips, then {@code rounds} measured ones, on {@code layer}. */
  static Result run(ExecutionLayer layer, long warmups, long rounds, Progress progress) throws Exception {
    progress.say("latency: " + warmups + " round trips of warm-up");
    for (long i = 0; i < warmups; i++) roundTrip(layer, i);
    progress.say("latency: " + rounds + " measured round trips, one task at a time");
    long[] nanos = new long[Math.toIntExact(rounds)];
    for (int i = 0; i < nanos.length; i++) {
      long t0 = System.nanoTime();
      roundTrip(layer, i);
      nanos[i] = System.nanoTime() - t0;
    }
    Arrays.sort(nanos);
    return new Result(nanos);
  }

  private static void roundTrip(ExecutionLayer layer, long i) throws Exception {
    long result = BenchContext.await(layer.submit(TASK, i));
    if (result != i) throw new IllegalStateException("task " + i + " of " + TASK + " returned " + result);
  }
}
