package io.pel.actors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The node's count of accepted tasks, and its signal that a task would be accepted again. */
class AdmissionTest {

  /** Runs what it was handed only when the test says so: a wake-up runs here, never on the releaser. */
  private static final class HeldExecutor implements Executor {
    final ArrayDeque<Runnable> held = new ArrayDeque<>();

    @Override
    public void execute(Runnable command) {
      held.add(command);
    }

    void runAll() {
      while (!held.isEmpty()) held.poll().run();
    }
  }

  @Test
  void withRoomTheSignalIsCompleteAtOnce() {
    Admission admission = new Admission(2, new HeldExecutor());
    assertTrue(admission.tryAcquire());
    assertTrue(admission.whenRoom().toCompletableFuture().isDone());
  }

  @Test
  void aFullNodeSignalsOnTheReleaseThatMakesRoomOnTheWakeUpExecutor() {
    HeldExecutor wakeUps = new HeldExecutor();
    Admission admission = new Admission(2, wakeUps);
    assertTrue(admission.tryAcquire());
    assertTrue(admission.tryAcquire());
    assertFalse(admission.tryAcquire(), "full");
    CompletableFuture<Void> first = admission.whenRoom().toCompletableFuture();
    CompletableFuture<Void> second = admission.whenRoom().toCompletableFuture();
    assertFalse(first.isDone() || second.isDone(), "a refused place does not make room");

    admission.release();
    assertFalse(first.isDone(), "not completed on the releasing thread");
    assertEquals(1, wakeUps.held.size(), "one wake-up for every waiter of the moment");
    wakeUps.runAll();
    assertTrue(first.isDone() && second.isDone());
    assertNull(first.join());

    assertTrue(admission.tryAcquire(), "the room it announced");
    assertFalse(admission.whenRoom().toCompletableFuture().isDone(), "full again: a new wait");
  }

  @Test
  void aReleaseThatLeavesTheNodeFullSignalsNothing() {
    HeldExecutor wakeUps = new HeldExecutor();
    Admission admission = new Admission(1, wakeUps);
    assertTrue(admission.tryAcquire());
    admission.acquire(); // past the limit, as an element of an accepted batch run again alone
    CompletableFuture<Void> room = admission.whenRoom().toCompletableFuture();
    admission.release();
    assertTrue(wakeUps.held.isEmpty());
    assertFalse(room.isDone(), "still at the limit");
    admission.release();
    wakeUps.runAll();
    assertTrue(room.isDone());
  }

  @Test
  void aWaiterThatGivesUpTakesNoOneWithIt() {
    Admission admission = new Admission(1, Runnable::run);
    assertTrue(admission.tryAcquire());
    CompletableFuture<Void> givenUp = admission.whenRoom().toCompletableFuture();
    CompletableFuture<Void> waiting = admission.whenRoom().toCompletableFuture();
    givenUp.cancel(false);
    assertFalse(waiting.isDone());
    admission.release();
    assertTrue(waiting.isDone() && !waiting.isCompletedExceptionally());
  }

  @Test
  void aWaiterRegisteredWhileTheLastPlaceIsReleasedIsNeverLeftWaiting() throws Exception {
    // A race: it catches a lost wake-up only now and then; ConditionSignalTest plays the losing order out.
    ExecutorService releaser = Executors.newSingleThreadExecutor();
    try {
      Admission admission = new Admission(1);
      CyclicBarrier together = new CyclicBarrier(2);
      for (int round = 0; round < 100_000; round++) {
        assertTrue(admission.tryAcquire());
        Future<?> released = releaser.submit(() -> {
          together.await();
          admission.release();
          return null;
        });
        together.await();
        CompletableFuture<Void> room = admission.whenRoom().toCompletableFuture();
        released.get(10, TimeUnit.SECONDS);
        try {
          room.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          fail("round " + round + ": the wake-up was lost, and no later release would come");
        }
      }
      assertEquals(0, admission.accepted());
    } finally {
      releaser.shutdownNow();
    }
  }
}
