package io.pel.actors.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * How a thread that blocks on a task's result ({@code get}, {@code join}) waits: when the result is likely
 * microseconds away, it spins briefly before it parks.
 *
 * <p>Why: a caller that parks is woken by the thread that completes its future, and in a VM a wake-up of
 * a thread whose CPU has gone idle costs 15–25 µs, as much as the rest of an idle round trip together.
 * A caller that spins keeps its CPU awake, and its result reaches it as a plain memory write.
 *
 * <p>When: only with at least two cores (one spins, the other runs the task), only while the node has no
 * more tasks in flight than cores (so none queues behind another and the result is near), and only one
 * thread at a time per node, so spinning never takes more than one core from the work. The spin ends at
 * {@link #SPIN_NANOS}, by the clock it is given; past it the caller parks as before.
 */
final class ResultWait {

  /** The longest spin: about two idle round trips here, small against any task worth a thread's wait. */
  static final long SPIN_NANOS = 50_000;

  /** Never spins: for futures without a node (tests of the parts). */
  static final ResultWait NEVER = new ResultWait(() -> Integer.MAX_VALUE, 1, () -> 0L);

  private final IntSupplier inFlight;
  private final int cores;
  private final LongSupplier ticker;
  private final AtomicBoolean spinning = new AtomicBoolean();

  /**
   * @param inFlight the node's tasks accepted and not completed
   * @param cores the cores this JVM may use
   * @param ticker nanoseconds, for the spin's bound
   */
  ResultWait(IntSupplier inFlight, int cores, LongSupplier ticker) {
    this.inFlight = inFlight;
    this.cores = cores;
    this.ticker = ticker;
  }

  /**
   * Spins until {@code done} says so, or for at most {@code maxNanos} (and {@link #SPIN_NANOS}), if
   * spinning is worth it now.
   *
   * @return the nanoseconds spent spinning, by the ticker (0 if it did not spin)
   */
  long spinUntil(BooleanSupplier done, long maxNanos) {
    if (cores < 2 || inFlight.getAsInt() > cores || !spinning.compareAndSet(false, true)) return 0;
    try {
      long start = ticker.getAsLong();
      long bound = Math.min(maxNanos, SPIN_NANOS);
      long spent = 0;
      while (!done.getAsBoolean() && spent < bound) {
        Thread.onSpinWait();
        spent = ticker.getAsLong() - start;
      }
      return spent;
    } finally {
      spinning.set(false);
    }
  }
}
