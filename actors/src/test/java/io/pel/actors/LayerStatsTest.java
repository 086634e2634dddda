package io.pel.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** What the counters of {@link LayerStats} count: work given to the node against work its routees did. */
class LayerStatsTest {

  private static final TaskType<Integer, Integer> ODD_FAILS_ONCE = TaskType.of("odd-fails-once", Integer.class, Integer.class);

  @Test
  void attemptsRunCountsEveryAttemptTheRouteesTookInAndABatchOnce() throws Exception {
    try (ExecutionLayer layer = Layers.start("pel.workers-per-node = 2\npel.retry.max-attempts = 2")) {
      layer.register(ODD_FAILS_ONCE, (i, ctx) -> {
        if (i % 2 == 1 && ctx.attempt() == 1) throw new IOException("first attempt of " + i + " fails (injected)");
        return i;
      });
      List<CompletionStage<Integer>> tasks = new ArrayList<>();
      for (int i = 0; i < 10; i++) tasks.add(layer.submit(ODD_FAILS_ONCE, i));
      Layers.awaitAll(tasks);

      LayerStats stats = layer.stats();
      assertEquals(10, stats.submitted());
      assertEquals(10, stats.succeeded());
      assertEquals(15, stats.attemptsRun(), "ten first attempts and five retries");

      List<TaskOutcome<Integer>> batch = Layers.await(layer.submitBatch(ODD_FAILS_ONCE, List.of(0, 2, 4)));
      assertEquals(3, batch.size());
      assertEquals(16, layer.stats().attemptsRun(), "a batch is one attempt");
    }
  }
}
