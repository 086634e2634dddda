package io.pel.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Cancelling a task's stage withdraws the task: a queued one never runs, a running one is forgotten. */
class CancellationTest {

  private static final TaskType<Integer, Integer> BLOCK = TaskType.of("cancel.block", Integer.class, Integer.class);

  @Test
  void cancelledQueuedTasksNeverRunAndRunningOnesFreeTheirPlaceAtOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch twoRunning = new CountDownLatch(2);
    AtomicInteger started = new AtomicInteger();
    try (ExecutionLayer layer = Layers.start("pel.workers-per-node = 2\npel.max-in-flight-per-worker = 1")) {
      layer.register(BLOCK, (i, ctx) -> {
        started.incrementAndGet();
        twoRunning.countDown();
        release.await();
        return i;
      });
      List<CompletableFuture<Integer>> tasks = new ArrayList<>();
      for (int i = 0; i < 10; i++) tasks.add(layer.submit(BLOCK, i).toCompletableFuture());
      assertTrue(twoRunning.await(Layers.WAIT.toSeconds(), TimeUnit.SECONDS));
      for (CompletableFuture<Integer> task : tasks) assertTrue(task.cancel(false));

      LayerStats after = Stats.until(layer, s -> s.cancelled() == 10 && s.accepted() == 0).get();
      assertEquals(0, after.accepted());
      release.countDown();
      // The two running handlers answer; their answers are dropped as late, nothing else ever starts.
      Stats.until(layer, s -> s.duplicatesDropped() == 2).get();
      assertEquals(2, started.get());
      assertEquals(0, layer.stats().succeeded());
    }
  }
}
