package io.pel.actors.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The waiters of one condition, through the interleavings that lose a wake-up in a naive version: each
 * is played out in one thread, the "other thread" acting from inside the condition the waiter tests.
 */
class ConditionSignalTest {

  private final ConditionSignal signal = new ConditionSignal(Runnable::run);
  private final AtomicBoolean holds = new AtomicBoolean();

  /** What a changer does: change the state, then signal if anyone waits. */
  private void change(boolean now) {
    holds.set(now);
    if (signal.hasWaiters()) signal.signal();
  }

  @Test
  void aConditionThatHoldsCompletesAtOnceAndLeavesNoWaiter() {
    holds.set(true);
    assertTrue(signal.await(holds::get).toCompletableFuture().isDone());
    assertFalse(signal.hasWaiters());
  }

  @Test
  void aWaiterIsCompletedByTheNextSignalAndOnlyThen() {
    CompletableFuture<Void> first = signal.await(holds::get).toCompletableFuture();
    CompletableFuture<Void> second = signal.await(holds::get).toCompletableFuture();
    assertFalse(first.isDone() || second.isDone());
    change(true);
    assertTrue(first.isDone() && second.isDone());
    assertFalse(signal.hasWaiters());
  }

  @Test
  void aChangeBetweenTheWaitersTestAndItsWaitIsNotLost() {
    AtomicInteger tests = new AtomicInteger();
    CompletableFuture<Void> waiter = signal.await(() -> {
      boolean now = holds.get();
      if (tests.getAndIncrement() == 0) change(true); // lands after the test, before the future is published
      return now;
    }).toCompletableFuture();
    assertTrue(waiter.isDone(), "the change saw no waiter, so the waiter must see the change");
  }

  @Test
  void aSignalWithNobodyWaitingIsNotKeptForLaterWaiters() {
    signal.signal();
    assertFalse(signal.await(holds::get).toCompletableFuture().isDone());
  }

  @Test
  void aHolderCannotCompleteOrCancelTheOthersWait() {
    CompletableFuture<Void> meddler = signal.await(holds::get).toCompletableFuture();
    CompletableFuture<Void> other = signal.await(holds::get).toCompletableFuture();
    meddler.cancel(false);
    assertFalse(other.isDone());
    change(true);
    assertTrue(other.isDone() && !other.isCompletedExceptionally());
  }
}
