package io.pel.actors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The attempt clock driven by a fake ticker: deadlines in start order, retries by due time. */
class AttemptClockTest {

  private static final long TIMEOUT = 1_000;

  private long now = Long.MAX_VALUE - 5_000; // deadlines wrap around, as System.nanoTime may
  private final AttemptClock clock = new AttemptClock(TIMEOUT, () -> now);
  private long seq;

  private TaskRecord task() {
    return new TaskRecord(new TaskId(1, ++seq), "t", null, seq, new TaskFuture(null));
  }

  private List<TaskRecord> expired() {
    List<TaskRecord> late = new ArrayList<>();
    clock.expire(clock.now(), late::add);
    return late;
  }

  @Test
  void anAttemptTimesOutAtItsDeadlineAndNotBefore() {
    TaskRecord a = task();
    clock.started(a, now);
    now += TIMEOUT - 1;
    assertEquals(List.of(), expired());
    now += 1;
    assertEquals(List.of(a), expired());
    assertEquals(0, clock.running());
    assertEquals(List.of(), expired(), "once taken off, an attempt is not handed over again");
  }

  @Test
  void aTickTakesOnlyTheExpiredHeadOfManyRunningAttempts() {
    List<TaskRecord> tasks = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      TaskRecord t = task();
      tasks.add(t);
      clock.started(t, now);
      if (i == 1) now += 10; // the first two start 10 ns before the rest
    }
    now += TIMEOUT - 10; // the first two are due, the others 10 ns later
    assertEquals(tasks.subList(0, 2), expired());
    assertEquals(99_998, clock.running());
    assertEquals(tasks.get(2).deadlineNanos, clock.nextDueNanos());
  }

  @Test
  void anEndedAttemptIsForgottenAndARestartedOneGoesToTheEnd() {
    TaskRecord a = task();
    TaskRecord b = task();
    TaskRecord c = task();
    clock.started(a, now);
    clock.started(b, now);
    clock.started(c, now);
    clock.ended(b);
    clock.ended(b);
    now += 500;
    clock.started(a, now); // a's next attempt (a retry or a duplicate) has a deadline of its own
    assertEquals(2, clock.running());
    now += 500;
    assertEquals(List.of(c), expired());
    now += 500;
    assertEquals(List.of(a), expired());
    assertEquals(Long.MAX_VALUE, clock.nextDueNanos());
  }

  @Test
  void whatATimeoutStartsAgainIsNotExpiredInTheSameTick() {
    TaskRecord a = task();
    clock.started(a, now);
    now += TIMEOUT;
    List<TaskRecord> late = new ArrayList<>();
    clock.expire(now, t -> {
      late.add(t);
      clock.started(t, now);
    });
    assertEquals(List.of(a), late);
    assertEquals(1, clock.running());
    assertEquals(now + TIMEOUT, clock.nextDueNanos());
  }

  @Test
  void retriesComeDueInTheOrderOfTheirDueTimesTiesInTheOrderScheduled() {
    TaskRecord a = task();
    TaskRecord b = task();
    TaskRecord c = task();
    clock.retryAt(a, now + 300);
    clock.retryAt(b, now + 100);
    clock.retryAt(c, now + 300);
    assertEquals(now + 100, clock.nextDueNanos());
    List<TaskRecord> due = new ArrayList<>();
    now += 99;
    clock.dueRetries(now, due::add);
    assertTrue(due.isEmpty());
    now += 201;
    clock.dueRetries(now, due::add);
    assertEquals(List.of(b, a, c), due);
    assertEquals(0, clock.retriesWaiting());
  }

  @Test
  void theNextDueTimeIsTheEarlierOfTheFirstDeadlineAndTheFirstRetry() {
    TaskRecord running = task();
    clock.started(running, now);
    TaskRecord waiting = task();
    clock.retryAt(waiting, now + TIMEOUT + 1);
    assertEquals(now + TIMEOUT, clock.nextDueNanos());
    clock.ended(running);
    assertEquals(now + TIMEOUT + 1, clock.nextDueNanos());
    assertFalse(running.clocked);
  }
}
