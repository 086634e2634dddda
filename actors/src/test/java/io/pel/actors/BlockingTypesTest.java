package io.pel.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * Blocking task types on a node of two routees: declared or found, they run on the elastic blocking pool,
 * which grows for them; CPU-bound work stays on the routees. Every task yields its one result.
 */
class BlockingTypesTest {

  private static final String NODE = "pel.workers-per-node = 2\npel.blocking-pool.sample-interval = 100ms\n";

  private static void spin(long nanos) {
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() < end) Thread.onSpinWait();
  }

  private static List<Integer> results(List<CompletionStage<Integer>> stages) throws Exception {
    List<Integer> out = new ArrayList<>();
    for (CompletableFuture<Integer> f : Layers.awaitAll(stages)) out.add(f.get());
    return out;
  }

  @Test
  void aDeclaredBlockingTypeRunsOnThePoolWhichGrowsForIt() throws Exception {
    TaskType<Integer, Integer> fetch = TaskType.of("fetch", Integer.class, Integer.class).asBlocking();
    try (ExecutionLayer layer = Layers.start(NODE)) {
      layer.register(fetch, (n, ctx) -> {
        Thread.sleep(20);
        return n + 1;
      });
      List<CompletionStage<Integer>> stages = new ArrayList<>();
      for (int i = 0; i < 600; i++) stages.add(layer.submit(fetch, i));
      List<Integer> results = results(stages);
      for (int i = 0; i < 600; i++) assertEquals(i + 1, results.get(i));
      BlockingPoolStats pool = layer.blockingPool();
      assertEquals(600, pool.completed(), "every attempt ran on the pool");
      assertTrue(pool.target() > 2, "the pool grew past its two threads: " + pool);
      assertEquals(600, layer.stats().succeeded());
    }
  }

  @Test
  void anUndeclaredTypeThatWaitsIsFoundAndMovedWhileCpuBoundWorkStaysOnTheRoutees() throws Exception {
    TaskType<Integer, Integer> waits = TaskType.of("waits", Integer.class, Integer.class);
    TaskType<Integer, Integer> works = TaskType.of("works", Integer.class, Integer.class);
    try (ExecutionLayer layer = Layers.start(NODE)) {
      layer.register(waits, (n, ctx) -> {
        Thread.sleep(3);
        return n;
      });
      layer.register(works, (n, ctx) -> {
        spin(2_000_000);
        return -n;
      });
      List<CompletionStage<Integer>> cpu = new ArrayList<>();
      for (int i = 0; i < 300; i++) cpu.add(layer.submit(works, i));
      List<Integer> worked = results(cpu);
      for (int i = 0; i < 300; i++) assertEquals(-i, worked.get(i));
      assertEquals(0, layer.blockingPool().completed(), "CPU-bound work is not moved");

      List<CompletionStage<Integer>> waiting = new ArrayList<>();
      for (int i = 0; i < 400; i++) waiting.add(layer.submit(waits, i));
      List<Integer> waited = results(waiting);
      for (int i = 0; i < 400; i++) assertEquals(i, waited.get(i));
      long pooled = layer.blockingPool().completed();
      assertTrue(pooled > 0 && pooled < 400, "found after some attempts on the routees, then run on the pool: " + pooled);
    }
  }

  @Test
  void withoutAPoolABlockingTypeRunsOnTheRoutees() throws Exception {
    TaskType<Integer, Integer> fetch = TaskType.of("fetch", Integer.class, Integer.class).asBlocking();
    try (ExecutionLayer layer = Layers.start(NODE + "pel.blocking-pool { min-threads = 0, max-threads = 0 }")) {
      layer.register(fetch, (n, ctx) -> n * 3);
      assertEquals(21, Layers.await(layer.submit(fetch, 7)));
      assertEquals(BlockingPoolStats.NONE, layer.blockingPool());
    }
  }
}
