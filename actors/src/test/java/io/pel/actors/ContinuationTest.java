package io.pel.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Callers' continuations run off PEL's supervisor: one that blocks holds back no other task. */
class ContinuationTest {

  private static final TaskType<Integer, Integer> GATED = TaskType.of("continuation.gated", Integer.class, Integer.class);
  private static final TaskType<Integer, Integer> PLUS_ONE = TaskType.of("continuation.plus-one", Integer.class, Integer.class);

  @Test
  void aContinuationThatBlocksDelaysNoOtherTasksCompletion() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch continuationRunning = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (ExecutionLayer layer = Layers.start("pel.workers-per-node = 2")) {
      layer.register(GATED, (i, ctx) -> {
        gate.await();
        return i;
      });
      layer.register(PLUS_ONE, (i, ctx) -> i + 1);
      // Registered before the task can finish, so it runs on the thread that completes the task's stage.
      CompletableFuture<Integer> blocked = layer.submit(GATED, 7).thenApply(v -> {
        continuationRunning.countDown();
        try {
          release.await(); // as a caller's thenApply that blocks for seconds would
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return v;
      }).toCompletableFuture();
      gate.countDown();
      assertTrue(continuationRunning.await(Layers.WAIT.toSeconds(), TimeUnit.SECONDS));

      // Meanwhile every other task completes, one at a time and many at once, with continuations of their own.
      for (int i = 0; i < 50; i++) assertEquals(i + 1, (int) Layers.await(layer.submit(PLUS_ONE, i).thenApply(v -> v)));
      List<CompletionStage<Integer>> many = new ArrayList<>();
      for (int i = 0; i < 5_000; i++) many.add(layer.submit(PLUS_ONE, i));
      List<CompletableFuture<Integer>> done = Layers.awaitAll(many);
      for (int i = 0; i < done.size(); i++) assertEquals(i + 1, (int) done.get(i).join());
      assertFalse(blocked.isDone(), "the blocking continuation still blocks");

      release.countDown();
      assertEquals(7, (int) Layers.await(blocked));
    }
  }
}
