package io.pel.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** Routees that crash are restarted and their tasks re-run; nothing is lost or doubled. */
class SupervisionTest {

  /** An injected crash: an Error, as a corrupted native library or a broken invariant would throw. */
  static final class InjectedCrash extends Error {
    InjectedCrash(String message) {
      super(message);
    }
  }

  private static final TaskType<Integer, Long> SQUARE = TaskType.of("square", Integer.class, Long.class);

  @Test
  void tenThousandTasksWithRandomFatalFailuresAllCompleteExactlyOnce() throws Exception {
    SplittableRandom random = new SplittableRandom(20261121);
    boolean[] crashes = new boolean[10_000];
    int injected = 0;
    for (int i = 0; i < crashes.length; i++) {
      crashes[i] = random.nextInt(100) < 2;
      if (crashes[i]) injected++;
    }
    AtomicInteger handlersBuilt = new AtomicInteger();
    LongAdder crashed = new LongAdder();
    ConcurrentHashMap<Integer, AtomicInteger> completions = new ConcurrentHashMap<>();
    try (ExecutionLayer layer = Layers.start("pel.workers-per-node = 4\npel.retry.max-attempts = 3")) {
      layer.registerFactory(SQUARE, () -> {
        handlersBuilt.incrementAndGet();
        return (i, ctx) -> {
          if (crashes[i] && ctx.attempt() == 1) {
            crashed.increment();
            if (i % 2 == 0) throw new InjectedCrash("injected crash on task " + i);
            throw new FatalTaskException("injected fatal failure on task " + i);
          }
          return (long) i * i;
        };
      });
      List<CompletionStage<Long>> runs = new ArrayList<>();
      for (int i = 0; i < crashes.length; i++) {
        int input = i;
        runs.add(layer.submit(SQUARE, i).whenComplete((r, e) ->
            completions.computeIfAbsent(input, k -> new AtomicInteger()).incrementAndGet()));
      }
      List<CompletableFuture<Long>> done = Layers.awaitAll(runs);
      for (int i = 0; i < done.size(); i++) assertEquals((long) i * i, done.get(i).join(), "task " + i);
      for (int i = 0; i < crashes.length; i++) assertEquals(1, completions.get(i).get(), "completions of task " + i);

      LayerStats stats = layer.stats();
      assertEquals(injected, crashed.intValue(), "each injected crash happened once");
      assertTrue(stats.routeeRestarts() >= injected, "restarts " + stats.routeeRestarts() + " for " + injected + " crashes");
      // Each incarnation builds its handler on its first task: 4 + restarts, less at most one per routee
      // whose last incarnation got no task after its restart.
      assertTrue(handlersBuilt.get() >= stats.routeeRestarts(),
          "a restart rebuilds the handler: built " + handlersBuilt.get() + " for " + stats.routeeRestarts() + " restarts");
      assertEquals(crashes.length, stats.succeeded());
      assertEquals(0, stats.failed());
    }
  }
}
