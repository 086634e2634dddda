package io.pel.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Where tasks go under each routing strategy. */
class RoutingTest {

  private static final TaskType<Integer, String> WHERE = TaskType.of("where", Integer.class, String.class);

  @Test
  void workSpreadsOverAllRoutees() throws Exception {
    for (String strategy : List.of("round-robin", "least-outstanding", "adaptive", "consistent-hash")) {
      // The handler parks to stand for work of known length; without detect it stays on its routee, which routing is about.
    try (ExecutionLayer layer = Layers.start("pel.workers-per-node = 4\npel.blocking-pool.detect = off\npel.routing.strategy = " + strategy)) {
        layer.register(WHERE, (i, ctx) -> {
          LockSupport.parkNanos(200_000);
          return ctx.routee();
        });
        List<CompletionStage<String>> runs = new ArrayList<>();
        for (int i = 0; i < 400; i++) runs.add(layer.submit(WHERE, i));
        Map<String, Integer> perRoutee = new ConcurrentHashMap<>();
        for (CompletableFuture<String> f : Layers.awaitAll(runs)) perRoutee.merge(f.join(), 1, Integer::sum);
        assertEquals(4, perRoutee.size(), strategy + " used " + perRoutee);
        for (int count : perRoutee.values()) assertTrue(count >= 20, strategy + " starved a routee: " + perRoutee);
      }
    }
  }

  @Test
  void keyedTasksStickToOneRouteeAndKeysSpread() throws Exception {
    try (ExecutionLayer layer = Layers.start("pel.workers-per-node = 4\npel.max-in-flight-per-worker = 2")) {
      layer.register(WHERE, (i, ctx) -> ctx.routee());
      Map<String, List<CompletionStage<String>>> byKey = new ConcurrentHashMap<>();
      for (int round = 0; round < 20; round++) {
        for (int k = 0; k < 50; k++) {
          byKey.computeIfAbsent("account-" + k, key -> new ArrayList<>()).add(layer.submit(WHERE, "account-" + k, round));
        }
      }
      Set<String> homes = new HashSet<>();
      for (var entry : byKey.entrySet()) {
        Set<String> routees = new HashSet<>();
        for (CompletableFuture<String> f : Layers.awaitAll(entry.getValue())) routees.add(f.join());
        assertEquals(1, routees.size(), entry.getKey() + " ran on " + routees);
        homes.addAll(routees);
      }
      assertTrue(homes.size() >= 3, "50 keys should spread over the routees, went to " + homes);
    }
  }

  @Test
  void adaptiveRoutingSendsASlowRouteeFewerTasks() throws Exception {
    int adaptive = tasksOnSlowRoutee("adaptive");
    int roundRobin = tasksOnSlowRoutee("round-robin");
    // 400 tasks over 4 routees: round-robin gives the slow one its fair quarter; adaptive learns.
    assertTrue(roundRobin >= 80, "round-robin baseline gave the slow routee " + roundRobin);
    assertTrue(adaptive <= 20, "adaptive gave the 10x slower routee " + adaptive + " of 400 tasks (round-robin: " + roundRobin + ")");
  }

  /** Runs 400 tasks in waves of two on 4 routees, one of which takes 10x longer; counts its tasks. */
  private static int tasksOnSlowRoutee(String strategy) throws Exception {
    LongAdder slowCount = new LongAdder();
    AtomicInteger instances = new AtomicInteger();
    // The handler parks to stand for work of known length; without detect it stays on its routee, which routing is about.
    try (ExecutionLayer layer = Layers.start("pel.workers-per-node = 4\npel.blocking-pool.detect = off\npel.routing.strategy = " + strategy)) {
      layer.registerFactory(WHERE, () -> {
        boolean slow = instances.getAndIncrement() == 0;
        return (i, ctx) -> {
          if (slow) slowCount.increment();
          LockSupport.parkNanos(slow ? 10_000_000 : 1_000_000);
          return ctx.routee();
        };
      });
      for (int wave = 0; wave < 200; wave++) {
        Layers.awaitAll(List.of(layer.submit(WHERE, wave), layer.submit(WHERE, -wave)));
      }
      assertEquals(4, instances.get(), "one handler per routee");
    }
    return slowCount.intValue();
  }
}
