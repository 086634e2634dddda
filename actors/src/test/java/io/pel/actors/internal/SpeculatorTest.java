package io.pel.actors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.cluster.PelSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The speculator with time passed in by hand: who straggles, how many duplicates, who won. */
class SpeculatorTest {

  private static final long MS = 1_000_000;
  private final NodeMetrics metrics = new NodeMetrics();
  private final Speculator speculator = new Speculator(
      new PelSettings.Speculation(3, Duration.ofMillis(200), 2, 20, false), metrics);
  private long now = 0;
  private long seq;

  private TaskRecord running(boolean speculable, long sentAt) {
    TaskRecord t = new TaskRecord(new TaskId(1, ++seq), "t", null, seq, new TaskFuture(null));
    t.speculable = speculable;
    t.state = TaskRecord.State.RUNNING;
    t.attempt = 1;
    t.sentNanos = sentAt;
    speculator.sent(t);
    return t;
  }

  /** 20 attempts of type t that took {@code ms} each, so its p95 is known. */
  private void learn(long ms) {
    for (int i = 0; i < 20; i++) {
      TaskRecord t = running(true, now);
      speculator.succeeded(t, 1, now + ms * MS);
      t.state = TaskRecord.State.DONE;
    }
  }

  @Test
  void noAttemptStragglesBeforeItsTypesP95IsKnown() {
    TaskRecord slow = running(true, now);
    now += 3_600_000 * MS;
    assertEquals(List.of(), speculator.stragglers(now));
    assertTrue(slow.watched);
  }

  @Test
  void anAttemptStragglesPastThreeTimesItsTypesP95AboveTheFloor() {
    learn(100); // p95 100 ms: threshold 300 ms
    TaskRecord a = running(true, now);
    now += 300 * MS;
    assertEquals(List.of(), speculator.stragglers(now));
    now += 1;
    assertEquals(List.of(a), speculator.stragglers(now));
    speculator.launched(a);
    assertEquals(1, speculator.inFlight());
    assertEquals(List.of(), speculator.stragglers(now), "one duplicate per task");
    assertFalse(a.watched, "a duplicated task is no longer watched");
  }

  @Test
  void theFloorHoldsForFastTypes() {
    learn(1); // p95 1 ms, but nothing younger than the 200 ms floor is duplicated
    TaskRecord a = running(true, now);
    now += 200 * MS;
    assertEquals(List.of(), speculator.stragglers(now));
    now += 1;
    assertEquals(List.of(a), speculator.stragglers(now));
  }

  @Test
  void onlySpeculableTasksAreWatchedAndAtMostMaxInFlightDuplicatesRun() {
    learn(10);
    TaskRecord plain = running(false, now);
    TaskRecord a = running(true, now);
    TaskRecord b = running(true, now);
    TaskRecord c = running(true, now);
    now += 1_000 * MS;
    List<TaskRecord> late = speculator.stragglers(now);
    assertEquals(List.of(a, b), late, "two may run at once; the oldest first");
    assertFalse(plain.watched);
    late.forEach(speculator::launched);
    assertFalse(speculator.hasRoom());
    assertEquals(List.of(), speculator.stragglers(now));
    speculator.settled(a);
    assertEquals(List.of(c), speculator.stragglers(now));
    assertEquals(2, metrics.speculativeLaunches.sum());
  }

  @Test
  void settledTasksAreForgottenAndADuplicatesWinIsCounted() {
    learn(10);
    TaskRecord a = running(true, now);
    TaskRecord b = running(true, now);
    now += 1_000 * MS;
    speculator.stragglers(now).forEach(t -> {
      t.attempt++;
      speculator.launched(t);
    });
    speculator.succeeded(a, 2, now);
    speculator.succeeded(b, 1, now);
    assertEquals(1, metrics.speculativeWins.sum(), "a's duplicate (attempt 2) won, b's original did");
    a.state = TaskRecord.State.DONE;
    speculator.settled(a);
    speculator.settled(b);
    assertEquals(0, speculator.inFlight());
  }

  @Test
  void itWatchesFromTheFirstSpeculableAttemptUntilATickFindsEveryOneSettled() {
    assertFalse(speculator.watching(), "nothing sent: the supervisor does not tick");
    running(false, now);
    assertFalse(speculator.watching(), "a task that may not be duplicated is not watched");
    TaskRecord a = running(true, now);
    TaskRecord b = running(true, now);
    assertTrue(speculator.watching());
    a.state = TaskRecord.State.DONE;
    speculator.stragglers(now);
    assertTrue(speculator.watching(), "b still runs");
    b.state = TaskRecord.State.DONE;
    assertTrue(speculator.watching(), "settled tasks are forgotten at the next tick, not before");
    speculator.stragglers(now);
    assertFalse(speculator.watching(), "every watched task settled: the ticks can stop");
  }
}
