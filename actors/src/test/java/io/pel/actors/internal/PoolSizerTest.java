package io.pel.actors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The blocking pool's size, decided from a history the test writes: no thread runs, no clock is read. */
class PoolSizerTest {

  private static final long MS = 1_000_000;
  private static final BlockingPoolSettings SETTINGS = new BlockingPoolSettings(
      2, 64, 0.75, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(20), true);

  private final PoolSizer sizer = new PoolSizer(SETTINGS, 0);
  private long now;
  private long completed;

  /** Half a second in which the pool ran {@code rate} tasks/s with {@code busy} threads busy at most and {@code queued} waiting at the end. */
  private PoolSizer.Change interval(double rate, int busy, int queued) {
    now += 500 * MS;
    completed += Math.round(rate / 2);
    return sizer.tick(now, busy, queued, completed);
  }

  /** Threads that each finish a 20 ms wait: throughput in proportion to the threads. */
  private PoolSizer.Change waiting(int queued) {
    int threads = sizer.target();
    return interval(threads * 50.0, threads, queued);
  }

  @Test
  void startsAtItsMinimum() {
    assertEquals(2, sizer.target());
  }

  @Test
  void growsWhileEveryThreadIsBusyAndWorkWaitsAndKeepsGrowthThatPays() {
    assertEquals(PoolSizer.Change.GREW, waiting(1000));
    assertEquals(4, sizer.target(), "by as many as wait, at most doubling");
    for (int i = 0; i < 12; i++) waiting(1000);
    assertEquals(64, sizer.target(), "up to the maximum, never past it");
    assertEquals(PoolSizer.Change.NONE, waiting(1000));
    assertEquals(64, sizer.target());
  }

  @Test
  void growsOnlyByWhatWaits() {
    waiting(1);
    assertEquals(3, sizer.target());
  }

  @Test
  void doesNotGrowWithoutAQueueOrWhileThreadsAreFree() {
    assertEquals(PoolSizer.Change.NONE, interval(100, 2, 0));
    assertEquals(PoolSizer.Change.NONE, interval(100, 1, 50));
    assertEquals(2, sizer.target());
  }

  @Test
  void takesBackAGrowthThatDidNotRaiseThroughputAndHoldsForTheCooldown() {
    // CPU-bound work on two cores: 2 threads or 4, the same 4,000 tasks/s
    assertEquals(PoolSizer.Change.GREW, interval(4000, 2, 500));
    assertEquals(4, sizer.target());
    assertEquals(PoolSizer.Change.TAKEN_BACK, interval(4000, 4, 500));
    assertEquals(2, sizer.target(), "back to the size before");
    for (int i = 0; i < 39; i++) assertEquals(PoolSizer.Change.NONE, interval(4000, 2, 500), "no growth in the cooldown, " + i);
    assertEquals(2, sizer.target());
    assertEquals(PoolSizer.Change.GREW, interval(4000, 2, 500), "tried again after the cooldown (20 s)");
  }

  @Test
  void keepsAGrowthWhoseBacklogDrained() {
    interval(100, 2, 3);
    assertEquals(4, sizer.target());
    assertEquals(PoolSizer.Change.NONE, interval(100, 4, 0), "the queue is gone: the growth served it");
    assertEquals(4, sizer.target());
  }

  @Test
  void waitsForEachThreadToFinishATaskBeforeJudging() {
    interval(100, 2, 500); // grows to 4; the next interval finishes 1 task, fewer than 4 threads
    assertEquals(PoolSizer.Change.NONE, interval(2, 4, 500));
    assertEquals(4, sizer.target(), "not judged on one task");
  }

  @Test
  void shrinksAfterTheIdlePeriodAndNotBefore() {
    for (int i = 0; i < 5; i++) waiting(1000);
    assertEquals(64, sizer.target());
    // a trickle: three threads busy at most, nothing waiting
    for (int i = 0; i < 59; i++) assertEquals(PoolSizer.Change.NONE, interval(150, 3, 0), "still in the idle period, " + i);
    assertEquals(64, sizer.target());
    assertEquals(PoolSizer.Change.SHRANK, interval(150, 3, 0));
    assertEquals(3, sizer.target(), "to what the period needed: a trickle does not keep the pool large");
  }

  @Test
  void aBusyMomentRestartsTheIdlePeriod() {
    for (int i = 0; i < 5; i++) waiting(1000);
    for (int i = 0; i < 40; i++) interval(150, 3, 0);
    interval(3200, 64, 0); // every thread busy once
    for (int i = 0; i < 59; i++) assertEquals(PoolSizer.Change.NONE, interval(150, 3, 0), "a new idle period, " + i);
    assertEquals(PoolSizer.Change.SHRANK, interval(150, 3, 0));
  }

  @Test
  void neverShrinksBelowTheMinimumNorTwiceWithinTheCooldown() {
    for (int i = 0; i < 5; i++) waiting(1000);
    for (int i = 0; i < 60; i++) interval(50, 10, 0);
    assertEquals(10, sizer.target());
    for (int i = 0; i < 39; i++) assertEquals(PoolSizer.Change.NONE, interval(0, 0, 0), "cooldown after a shrink, " + i);
    for (int i = 0; i < 60 && sizer.target() == 10; i++) interval(0, 0, 0);
    assertEquals(2, sizer.target(), "idle: down to the minimum, not to zero");
  }

  @Test
  void takesBackAGrowthThatSlowedTheCpuBoundWorkOnBusyRoutees() {
    // Two routees busy all the time, 20,000 attempts/s; the pool's waiting tasks scale with its threads.
    long[] routeeDone = {0};
    long[] routeeBusy = {0};
    java.util.function.DoubleFunction<PoolSizer.Change> withRoutees = routeeRate -> {
      routeeDone[0] += Math.round(routeeRate / 2);
      routeeBusy[0] += 2 * 500 * MS;
      int threads = sizer.target();
      now += 500 * MS;
      completed += threads * 25L;
      return sizer.tick(now, threads, 1000, completed, new PoolSizer.RouteeWork(routeeDone[0], routeeBusy[0], 2));
    };
    assertEquals(PoolSizer.Change.GREW, withRoutees.apply(20_000)); // 2 -> 4 (the routees' rate before is not known yet)
    assertEquals(PoolSizer.Change.GREW, withRoutees.apply(20_000), "kept, and 4 -> 8: the routees at 20,000/s are the reference");
    assertEquals(PoolSizer.Change.GREW, withRoutees.apply(19_600), "2 per cent less: kept, and 8 -> 16");
    assertEquals(PoolSizer.Change.TAKEN_BACK, withRoutees.apply(18_800), "6 per cent less than before the growths began: taken back");
    assertEquals(8, sizer.target());
    assertTrue(sizer.why().contains("slowed the CPU-bound work"), sizer.why());
  }

  @Test
  void routeesThatRanOutOfWorkDoNotHoldTheGrowthBack() {
    // The routees' rate falls because their work ran out, not for want of CPU: they were not busy after.
    sizer.tick(now += 500 * MS, 2, 0, completed += 50, new PoolSizer.RouteeWork(10_000, 1000 * MS, 2));
    assertEquals(PoolSizer.Change.GREW,
        sizer.tick(now += 500 * MS, 2, 1000, completed += 50, new PoolSizer.RouteeWork(20_000, 2000 * MS, 2)));
    assertEquals(4, sizer.target());
    // The routees' rate falls tenfold, but they were not busy after: their work ran out. The pool's doubled.
    sizer.tick(now += 500 * MS, 4, 1000, completed += 100, new PoolSizer.RouteeWork(21_000, 2100 * MS, 2));
    assertEquals(8, sizer.target(), "kept, and grown again");
  }

  /** Routees busy all the time at {@code routeeRate}, the pool saturated with waiting work that scales with its threads. */
  private long routeeDone;
  private long routeeBusy;

  private PoolSizer.Change busyRoutees(double routeeRate) {
    routeeDone += Math.round(routeeRate / 2);
    routeeBusy += 2 * 500 * MS;
    int threads = sizer.target();
    now += 500 * MS;
    completed += threads * 25L;
    return sizer.tick(now, threads, 10_000, completed, new PoolSizer.RouteeWork(routeeDone, routeeBusy, 2));
  }

  @Test
  void aProbeAtHalfTheSizeKeepsItWhenTheBusyRouteesRunFaster() {
    for (int i = 0; i < 9; i++) busyRoutees(20_000); // grown while the routees' reference was cold
    assertEquals(64, sizer.target());
    assertEquals(PoolSizer.Change.PROBING, busyRoutees(20_000), "ten intervals in: half the size for two");
    assertEquals(32, sizer.target());
    assertEquals(PoolSizer.Change.NONE, busyRoutees(22_000));
    assertEquals(PoolSizer.Change.PROBED_SMALLER, busyRoutees(22_000), "the routees ran a tenth faster without the other threads");
    assertEquals(32, sizer.target());
    assertTrue(sizer.why().contains("took their CPU"), sizer.why());
    for (int i = 0; i < 38; i++) { // the cooldown is 20 s: 40 intervals
      PoolSizer.Change change = busyRoutees(22_000);
      assertTrue(change != PoolSizer.Change.GREW, "no growth in the cooldown, " + i + ": " + change + " " + sizer.target() + " " + sizer.why());
      assertTrue(sizer.target() <= 32, "later probes try smaller still, and go back: " + sizer.target());
    }
  }

  @Test
  void aProbeThatChangesNothingForTheRouteesGoesBack() {
    for (int i = 0; i < 9; i++) busyRoutees(20_000);
    assertEquals(PoolSizer.Change.PROBING, busyRoutees(20_000));
    busyRoutees(20_200);
    assertEquals(PoolSizer.Change.NONE, busyRoutees(20_200), "one per cent is noise, not the pool's cost");
    assertEquals(64, sizer.target(), "back to its size");
    for (int i = 0; i < 9; i++) assertTrue(busyRoutees(20_000) != PoolSizer.Change.PROBING, "the next probe is ten intervals on, " + i);
    assertEquals(PoolSizer.Change.PROBING, busyRoutees(20_000));
  }

  @Test
  void noProbeBesideIdleRoutees() {
    for (int i = 0; i < 30; i++) {
      now += 500 * MS;
      completed += sizer.target() * 25L;
      assertTrue(sizer.tick(now, sizer.target(), 10_000, completed, new PoolSizer.RouteeWork(i * 100L, i * 10 * MS, 2))
          != PoolSizer.Change.PROBING, "routees at 1 per cent busy: the pool takes no CPU from them, " + i);
    }
  }
}
