package io.pel.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Speculative execution: a routee 50 times slower than the others does not hold a job back when the task
 * type is declared idempotent, and a type that is not is never run twice.
 */
class SpeculationTest {

  private static final TaskType<Integer, Integer> IDEMPOTENT = TaskType.of("spec.idempotent", Integer.class, Integer.class).asIdempotent();
  private static final TaskType<Integer, Integer> PLAIN = TaskType.of("spec.plain", Integer.class, Integer.class);
  private static final int TASKS = 1000;
  private static final long NORMAL_MILLIS = 10;
  private static final long SLOW_MILLIS = 50 * NORMAL_MILLIS;

  private volatile boolean slowRoutee;
  private final Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();

  private ExecutionLayer layer() {
    ExecutionLayer layer = Layers.start("""
        pel.workers-per-node = 8
        pel.max-in-flight-per-worker = 2
        pel.speculation.floor = 50ms
        """);
    for (TaskType<Integer, Integer> type : List.of(IDEMPOTENT, PLAIN)) {
      layer.register(type, (i, ctx) -> {
        runs.computeIfAbsent(i, k -> new AtomicInteger()).incrementAndGet();
        Thread.sleep(slowRoutee && ctx.routee().endsWith("/worker-0") ? SLOW_MILLIS : NORMAL_MILLIS);
        return i;
      });
    }
    return layer;
  }

  /** Runs the tasks, checks each result once, and returns the wall time in nanoseconds. */
  private long run(ExecutionLayer layer, TaskType<Integer, Integer> type) throws Exception {
    runs.clear();
    long start = System.nanoTime();
    List<CompletableFuture<Integer>> results = new ArrayList<>();
    for (int i = 0; i < TASKS; i++) results.add(layer.submit(type, i).toCompletableFuture());
    Layers.awaitAll(results);
    long nanos = System.nanoTime() - start;
    for (int i = 0; i < TASKS; i++) assertEquals(i, results.get(i).getNow(-1), "the one result of task " + i);
    assertEquals(TASKS, runs.size());
    return nanos;
  }

  @Test
  void aRouteeFiftyTimesSlowerDoesNotHoldTheTasksBack() throws Exception {
    try (ExecutionLayer layer = layer()) {
      run(layer, IDEMPOTENT); // warm-up, and the type's normal attempt times
      long normal = run(layer, IDEMPOTENT);
      slowRoutee = true;
      long withSlowRoutee = run(layer, IDEMPOTENT);

      LayerStats stats = layer.stats();
      double ratio = (double) withSlowRoutee / normal;
      String measured = String.format("%d tasks took %.0f ms with a slow routee, %.0f ms without: %.2fx; %s",
          TASKS, withSlowRoutee / 1e6, normal / 1e6, ratio, stats);
      System.out.println("SpeculationTest: " + measured); // in target/surefire-reports, for the record
      assertTrue(ratio <= 1.5, measured);
      assertTrue(stats.speculativeLaunches() > 0 && stats.speculativeWins() > 0, stats.toString());
      assertTrue(runs.values().stream().anyMatch(n -> n.get() == 2), "some task ran twice, its duplicate won");
      // A losing attempt may still wait in its routee's mailbox, so runs so far are at most one per launch.
      int extraRuns = runs.values().stream().mapToInt(n -> n.get() - 1).sum();
      assertTrue(extraRuns <= stats.speculativeLaunches(), extraRuns + " extra runs, " + stats);
    }
  }

  @Test
  void aTypeNotDeclaredIdempotentIsNeverRunTwice() throws Exception {
    try (ExecutionLayer layer = layer()) {
      run(layer, PLAIN);
      slowRoutee = true;
      run(layer, PLAIN);
      assertTrue(runs.values().stream().allMatch(n -> n.get() == 1), "each task ran once");
      assertEquals(0, layer.stats().speculativeLaunches());
    }
  }
}
