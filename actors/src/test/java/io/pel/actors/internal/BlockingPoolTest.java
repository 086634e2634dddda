package io.pel.actors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.actors.BlockingPoolStats;
import io.pel.actors.TaskHandler;
import io.pel.actors.TaskType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The blocking pool with real threads, its size decided at ticks the test gives with the time it chooses:
 * only the attempts' own waits take wall-clock time, and every wait for the pool is bounded.
 */
class BlockingPoolTest {

  private static final long SECOND = 1_000_000_000L;
  private static final TaskType<Integer, Integer> WAIT = TaskType.of("wait", Integer.class, Integer.class).asBlocking();
  private static final TaskType<Integer, Integer> OTHER = TaskType.of("other", Integer.class, Integer.class).asBlocking();

  private final BlockingPoolSettings settings = new BlockingPoolSettings(
      2, 40, 1.0, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(30), false);
  private final BlockingPool pool = new BlockingPool(settings, 0);
  private final HandlerRegistry registry = new HandlerRegistry(true);
  private final Semaphore gate = new Semaphore(0);
  private final AtomicInteger running = new AtomicInteger();
  private long now;

  @AfterEach
  void close() {
    gate.release(100_000);
    pool.close();
  }

  /** A handler that holds its thread until the test lets it go. */
  private TaskHandler<Integer, Integer> gated() {
    return (input, ctx) -> {
      running.incrementAndGet();
      try {
        gate.acquire();
      } finally {
        running.decrementAndGet();
      }
      return input * 2;
    };
  }

  private List<CompletableFuture<Object>> submit(TaskType<Integer, Integer> type, int n) {
    List<CompletableFuture<Object>> results = new ArrayList<>();
    for (int i = 0; i < n; i++) results.add(pool.submit(registry.find(type.name()), i, null));
    return results;
  }

  /** Lets every running attempt finish, waits until they have, then ends the interval: work that scales with the threads. */
  private void allRunningFinishThenTick() throws InterruptedException {
    long before = pool.snapshot().completed();
    int n = running.get();
    gate.release(n);
    await(n + " attempts finish", () -> pool.snapshot().completed() >= before + n);
    tick();
  }

  private void tick() {
    now += SECOND / 2;
    pool.tick(now);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("not within 30 s: " + what);
      Thread.sleep(1);
    }
  }

  @Test
  void growsUnderAQueueOfWaitingAttempts() throws Exception {
    registry.register(WAIT, this::gated);
    List<CompletableFuture<Object>> results = submit(WAIT, 10);
    await("the first two threads run", () -> running.get() == 2);
    assertEquals(8, pool.snapshot().queued());
    tick();
    await("grown to four", () -> running.get() == 4);
    gate.release(4);
    await("four done", () -> pool.snapshot().completed() == 4);
    tick(); // four threads did twice the work of two: the growth is kept
    tick(); // and the pool grows for what still waits, by as many as wait
    await("the rest run at once", () -> running.get() == 6);
    assertEquals(6, pool.snapshot().target());
    gate.release(6);
    for (int i = 0; i < 10; i++) assertEquals(i * 2, results.get(i).get(30, TimeUnit.SECONDS));
  }

  @Test
  void oneTypeTakesAtMostItsShareOfTheThreadsAndAnotherTypeStillRuns() throws Exception {
    try (BlockingPool full = new BlockingPool(new BlockingPoolSettings(40, 40, 0.5, Duration.ofMillis(500),
        Duration.ofSeconds(30), Duration.ofSeconds(30), false), 0)) {
      registry.register(WAIT, this::gated);
      registry.register(OTHER, () -> (input, ctx) -> -input);
      for (int i = 0; i < 100; i++) full.submit(registry.find(WAIT.name()), i, null);
      // A thread goes idle only when no queue has work it may take: idle threads beside 80 queued attempts
      // are the type's limit at work, and the state cannot change while the attempts are held.
      await("20 running, the rest queued, a thread idle beside them", () -> {
        BlockingPoolStats now = full.snapshot();
        return now.busy() == 20 && now.queued() == 80 && now.idle() >= 1;
      });
      assertEquals(20, full.snapshot().busy(), "max-type-share 0.5 of 40 threads");
      await("the 20 attempts are in their handlers", () -> running.get() == 20);
      CompletableFuture<Object> other = full.submit(registry.find(OTHER.name()), 7, null);
      assertEquals(-7, other.get(30, TimeUnit.SECONDS), "another type runs beside it");
    }
  }

  @Test
  void aShrinkLetsThreadsGoBetweenAttemptsAndLosesNone() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    registry.register(WAIT, () -> (input, ctx) -> {
      runs.incrementAndGet();
      return gated().apply(input, ctx) / 2 + 1;
    });
    List<CompletableFuture<Object>> results = submit(WAIT, 30);
    // Attempts that wait longer than the judging allows: each growth is kept, up to what waits.
    for (int i = 0; i < 60 && running.get() < 30; i++) {
      int expected = Math.min(30, pool.snapshot().target());
      await(expected + " running", () -> running.get() == expected);
      tick();
    }
    await("all 30 running", () -> running.get() == 30);
    assertEquals(30, pool.snapshot().target());
    gate.release(20);
    await("20 done", () -> pool.snapshot().completed() == 20);
    // A quiet half minute: ten threads hold their attempts while the pool shrinks around them.
    for (int i = 0; i < 60; i++) assertEquals(30, tickAndTarget(), "not before the idle period, " + i);
    assertEquals(10, tickAndTarget(), "shrunk to the threads the period needed");
    await("the threads beyond the size leave", () -> pool.snapshot().threads() == 10);
    gate.release(10);
    for (int i = 0; i < 30; i++) assertEquals(i + 1, results.get(i).get(30, TimeUnit.SECONDS));
    assertEquals(30, runs.get(), "every attempt ran once");
  }

  private int tickAndTarget() {
    tick();
    return pool.snapshot().target();
  }

  @Test
  void eachThreadHasItsOwnHandlerInstance() throws Exception {
    AtomicInteger instances = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    registry.register(WAIT, () -> {
      instances.incrementAndGet();
      AtomicInteger inside = new AtomicInteger();
      return (input, ctx) -> {
        if (inside.incrementAndGet() > 1) overlaps.incrementAndGet();
        Thread.sleep(1);
        inside.decrementAndGet();
        return input;
      };
    });
    List<CompletableFuture<Object>> results = submit(WAIT, 200);
    for (int i = 0; i < 6; i++) tick();
    for (CompletableFuture<Object> result : results) result.get(30, TimeUnit.SECONDS);
    assertEquals(0, overlaps.get(), "no instance ran two attempts at once");
    assertTrue(instances.get() >= 2 && instances.get() <= pool.snapshot().target() + 40, "one a thread: " + instances.get());
  }

  @Test
  void aClosedPoolRefusesAndFailsWhatWaits() throws Exception {
    registry.register(WAIT, this::gated);
    List<CompletableFuture<Object>> results = submit(WAIT, 3);
    await("two run", () -> running.get() == 2);
    pool.close();
    CompletableFuture<Object> late = submit(WAIT, 1).get(0);
    assertTrue(late.isCompletedExceptionally(), "refused once closed");
    gate.release(3);
    results.get(0).get(30, TimeUnit.SECONDS);
    results.get(1).get(30, TimeUnit.SECONDS);
    assertTrue(results.get(2).isCompletedExceptionally(), "the attempt that waited for a thread fails");
  }
}
