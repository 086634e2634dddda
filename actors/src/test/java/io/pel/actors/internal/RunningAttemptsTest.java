package io.pel.actors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The count of attempts taken in and not answered, and its signal that none are left. */
class RunningAttemptsTest {

  @Test
  void nothingRunningIsIdleAtOnce() {
    RunningAttempts running = new RunningAttempts();
    assertTrue(running.whenIdle().toCompletableFuture().isDone());
    running.increment();
    running.add(-1);
    assertTrue(running.whenIdle().toCompletableFuture().isDone());
  }

  @Test
  void idleComesWithTheDecrementThatReachesZeroAndNotBefore() {
    RunningAttempts running = new RunningAttempts();
    running.increment();
    running.increment();
    running.increment();
    CompletableFuture<Void> idle = running.whenIdle().toCompletableFuture();
    running.add(-2);
    assertFalse(idle.isDone(), "one attempt is still unanswered");
    running.increment();
    running.decrement();
    assertFalse(idle.isDone());
    running.add(-1);
    assertTrue(idle.isDone());
    assertEquals(0, running.sum());

    running.increment();
    assertFalse(running.whenIdle().toCompletableFuture().isDone(), "one-shot: the next wait is a new one");
  }

  @Test
  void theCountCannotBeResetBehindTheSignal() {
    RunningAttempts running = new RunningAttempts();
    assertThrows(UnsupportedOperationException.class, running::reset);
    assertThrows(UnsupportedOperationException.class, running::sumThenReset);
  }

  @Test
  void aWaiterRegisteredWhileTheLastAnswersLeaveIsNeverLeftWaiting() throws Exception {
    // A race: it catches a lost wake-up only now and then; ConditionSignalTest plays the losing order out.
    ExecutorService routees = Executors.newFixedThreadPool(2);
    try {
      RunningAttempts running = new RunningAttempts();
      CyclicBarrier together = new CyclicBarrier(3);
      for (int round = 0; round < 50_000; round++) {
        running.add(4);
        List<Future<?>> answered = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
          answered.add(routees.submit(() -> {
            together.await();
            running.add(-1);
            running.add(-1);
            return null;
          }));
        }
        together.await();
        CompletableFuture<Void> idle = running.whenIdle().toCompletableFuture();
        for (Future<?> f : answered) f.get(10, TimeUnit.SECONDS);
        try {
          idle.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          fail("round " + round + ": the wake-up was lost, and no later decrement would come");
        }
      }
    } finally {
      routees.shutdownNow();
    }
  }
}
