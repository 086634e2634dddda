package io.pel.actors.internal;

import java.util.PriorityQueue;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The supervisor's clock: when each running attempt times out, and when each task waiting for a retry
 * is due. Owned by the supervisor actor and touched only in its handlers; time comes from an injected
 * ticker (nanoseconds, as {@link System#nanoTime}), so tests drive it by hand.
 *
 * <p>Every attempt gets the same timeout, so deadlines come in the order attempts start: running
 * attempts are a linked list through their records, oldest first, and a tick takes expired ones from
 * its head without looking at the others. Starting, ending or restarting an attempt costs a few pointer
 * writes. Retries wait in a heap by due time (ties in the order they were scheduled).
 */
final class AttemptClock {

  private record Retry(long dueNanos, long order, TaskRecord task) {}

  private final long timeoutNanos;
  private final LongSupplier ticker;
  private final PriorityQueue<Retry> retries = new PriorityQueue<>((a, b) -> {
    int byDue = Long.compare(a.dueNanos - b.dueNanos, 0);
    return byDue != 0 ? byDue : Long.compare(a.order, b.order);
  });
  private TaskRecord head;
  private TaskRecord tail;
  private int running;
  private long retryOrder;

  AttemptClock(long timeoutNanos, LongSupplier ticker) {
    this.timeoutNanos = timeoutNanos;
    this.ticker = ticker;
  }

  long now() {
    return ticker.getAsLong();
  }

  /** {@code task}'s current attempt started at {@code now}: its deadline is {@code now} + the timeout. */
  void started(TaskRecord task, long now) {
    unlink(task);
    task.sentNanos = now;
    task.deadlineNanos = now + timeoutNanos;
    task.clockPrev = tail;
    task.clockNext = null;
    if (tail == null) head = task;
    else tail.clockNext = task;
    tail = task;
    task.clocked = true;
    running++;
  }

  /** {@code task} runs no attempt any more (answered, failed, re-dispatched or settled). */
  void ended(TaskRecord task) {
    unlink(task);
  }

  /** {@code task} is due for its next attempt at {@code dueNanos}. */
  void retryAt(TaskRecord task, long dueNanos) {
    retries.add(new Retry(dueNanos, retryOrder++, task));
  }

  /**
   * Hands every attempt whose deadline is past at {@code now} to {@code timedOut}, oldest first, taking it
   * off the clock first; what {@code timedOut} starts again goes to the end.
   */
  void expire(long now, Consumer<TaskRecord> timedOut) {
    while (head != null && head.deadlineNanos - now <= 0) {
      TaskRecord late = head;
      unlink(late);
      timedOut.accept(late);
    }
  }

  /** Hands every task whose retry is due at {@code now} to {@code due}, earliest first. */
  void dueRetries(long now, Consumer<TaskRecord> due) {
    while (!retries.isEmpty() && retries.peek().dueNanos - now <= 0) due.accept(retries.poll().task());
  }

  /** The earliest deadline or retry due, or {@link Long#MAX_VALUE} when nothing waits on the clock. */
  long nextDueNanos() {
    long next = Long.MAX_VALUE;
    if (head != null) next = head.deadlineNanos;
    if (!retries.isEmpty() && (next == Long.MAX_VALUE || retries.peek().dueNanos - next < 0)) next = retries.peek().dueNanos;
    return next;
  }

  /** Attempts on the clock now. */
  int running() {
    return running;
  }

  /** Tasks waiting for a retry, including ones settled meanwhile (they are skipped when due). */
  int retriesWaiting() {
    return retries.size();
  }

  private void unlink(TaskRecord task) {
    if (!task.clocked) return;
    if (task.clockPrev == null) head = task.clockNext;
    else task.clockPrev.clockNext = task.clockNext;
    if (task.clockNext == null) tail = task.clockPrev;
    else task.clockNext.clockPrev = task.clockPrev;
    task.clockPrev = null;
    task.clockNext = null;
    task.clocked = false;
    running--;
  }
}
