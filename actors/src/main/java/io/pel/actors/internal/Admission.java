package io.pel.actors.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the tasks a node has accepted and not yet completed, and refuses more past the limit.
 *
 * <p>Any thread may {@link #tryAcquire} and wait for room ({@link #whenRoom}); the supervisor {@link
 * #release}s once per completed task, which wakes the waiters for room when it leaves the count below the
 * limit. The waiters are woken on an executor of their own, so the supervisor never runs their
 * continuations, and a release with nobody waiting pays one volatile read more. Once {@link #close}d,
 * {@link #drained()} completes when the count reaches zero.
 */
public final class Admission {

  private final int limit;
  private final AtomicInteger accepted = new AtomicInteger();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private final ConditionSignal room;
  private volatile boolean closing;

  /** At most {@code limit} tasks; waiters for room are woken on the common fork-join pool. */
  public Admission(int limit) {
    this(limit, ForkJoinPool.commonPool());
  }

  /** At most {@code limit} tasks; waiters for room are woken on {@code wakeUps}. */
  public Admission(int limit, Executor wakeUps) {
    this.limit = limit;
    this.room = new ConditionSignal(wakeUps);
  }

  /** Takes a place for one task; {@code false} when the node is at its limit. */
  public boolean tryAcquire() {
    if (accepted.incrementAndGet() > limit) {
      release();
      return false;
    }
    return true;
  }

  /**
   * Takes a place even past the limit: for work the node has already accepted, such as an element of an
   * accepted batch that runs again on its own.
   */
  public void acquire() {
    accepted.incrementAndGet();
  }

  /** Gives back the place of one completed task. */
  public void release() {
    int now = accepted.decrementAndGet();
    if (now == 0 && closing) drained.complete(null);
    if (now < limit && room.hasWaiters()) room.signal();
  }

  /**
   * A stage that completes once fewer than {@link #limit} tasks are accepted: at once if that is so now,
   * else (on the wake-up executor) at the first {@link #release} that makes room. A hint, not a
   * reservation: another caller may take the place first, so a waiter offers again and may wait again.
   */
  public CompletionStage<Void> whenRoom() {
    return room.await(() -> accepted.get() < limit);
  }

  /** From now on, {@link #drained()} completes once nothing is accepted. */
  public void close() {
    closing = true;
    if (accepted.get() == 0) drained.complete(null);
  }

  public boolean isClosing() {
    return closing;
  }

  public CompletableFuture<Void> drained() {
    return drained;
  }

  public int accepted() {
    return Math.max(0, accepted.get());
  }

  public int limit() {
    return limit;
  }
}
