package io.pel.actors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The caller's brief spin, driven by a fake ticker: when it spins, how long, and who may. */
class ResultWaitTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final AtomicInteger inFlight = new AtomicInteger(1);
  private final ResultWait wait = new ResultWait(inFlight::get, 2, now::get);

  @Test
  void spinsUntilTheResultIsThere() {
    AtomicInteger polls = new AtomicInteger();
    long spent = wait.spinUntil(() -> {
      now.addAndGet(1_000);
      return polls.incrementAndGet() == 5;
    }, Long.MAX_VALUE);
    assertEquals(5, polls.get());
    assertEquals(4_000, spent, "four polls came back empty, a microsecond apart on the ticker");
  }

  @Test
  void givesUpAtTheBoundAndSaysHowLongItSpun() {
    long spent = wait.spinUntil(() -> now.addAndGet(10_000) < 0, Long.MAX_VALUE);
    assertEquals(ResultWait.SPIN_NANOS, spent);
  }

  @Test
  void neverSpinsLongerThanTheCallerWillWait() {
    long spent = wait.spinUntil(() -> now.addAndGet(1_000) < 0, 3_000);
    assertEquals(3_000, spent);
  }

  @Test
  void doesNotSpinWhileTasksQueueBehindEachOther() {
    inFlight.set(3);
    AtomicInteger polls = new AtomicInteger();
    assertEquals(0, wait.spinUntil(() -> polls.incrementAndGet() > 0, Long.MAX_VALUE));
    assertEquals(0, polls.get(), "with more tasks in flight than cores, the caller parks at once");
  }

  @Test
  void doesNotSpinOnOneCore() {
    ResultWait single = new ResultWait(inFlight::get, 1, now::get);
    AtomicInteger polls = new AtomicInteger();
    assertEquals(0, single.spinUntil(() -> polls.incrementAndGet() > 0, Long.MAX_VALUE));
    assertEquals(0, polls.get());
  }

  @Test
  void oneThreadSpinsAtATime() {
    AtomicLong inner = new AtomicLong(-1);
    AtomicInteger innerPolls = new AtomicInteger();
    wait.spinUntil(() -> {
      inner.set(wait.spinUntil(() -> innerPolls.incrementAndGet() > 0, Long.MAX_VALUE));
      return true;
    }, Long.MAX_VALUE);
    assertEquals(0, inner.get(), "a second waiter while one spins parks at once");
    assertEquals(0, innerPolls.get());
    AtomicInteger after = new AtomicInteger();
    wait.spinUntil(() -> after.incrementAndGet() > 0, Long.MAX_VALUE);
    assertTrue(after.get() > 0, "once the first is done, the next one spins");
  }
}
