package io.pel.actors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A caller blocked on a task's result: it gets the value another thread completes, and a timed wait times out. */
class TaskFutureTest {

  private final AtomicInteger inFlight = new AtomicInteger(1);
  private final TaskFuture future = new TaskFuture(null, new ResultWait(inFlight::get, 2, System::nanoTime));

  @Test
  void aBlockedCallerGetsTheValueAnotherThreadCompletes() throws Exception {
    CompletableFuture.runAsync(() -> future.complete(42L));
    assertEquals(42L, future.get());
    TaskFuture joined = new TaskFuture(null, new ResultWait(inFlight::get, 2, System::nanoTime));
    CompletableFuture.runAsync(() -> joined.complete(7L));
    assertEquals(7L, joined.join());
  }

  @Test
  void aTimedWaitForAnUnfinishedTaskTimesOutWhetherItSpinsOrNot() {
    assertThrows(TimeoutException.class, () -> future.get(0, TimeUnit.NANOSECONDS)); // idle: it may spin, no longer than the timeout
    inFlight.set(100); // busy: parks at once, and still times out
    assertThrows(TimeoutException.class, () -> future.get(1, TimeUnit.MILLISECONDS));
  }
}
