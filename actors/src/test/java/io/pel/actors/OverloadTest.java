package io.pel.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Backpressure on direct submission: fail fast past the admission limit, recover when load drops. */
class OverloadTest {

  private static final TaskType<Integer, Integer> HOLD = TaskType.of("hold", Integer.class, Integer.class);

  @Test
  void pastTheLimitSubmitFailsAtOnceAndTheLayerRecovers() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (ExecutionLayer layer = Layers.start(
        "pel.workers-per-node = 2\npel.max-in-flight-per-worker = 2\npel.max-pending-per-node = 10")) {
      layer.register(HOLD, (i, ctx) -> {
        release.await();
        return i;
      });
      int limit = 2 * 2 + 10;
      List<CompletionStage<Integer>> held = new ArrayList<>();
      for (int i = 0; i < limit; i++) held.add(layer.submit(HOLD, i));
      assertEquals(limit, layer.stats().accepted());

      CompletableFuture<Integer> refused = layer.submit(HOLD, 99).toCompletableFuture();
      assertTrue(refused.isCompletedExceptionally(), "an over-limit submit is answered at once");
      OverloadedException overloaded =
          assertInstanceOf(OverloadedException.class, refused.handle((r, e) -> e).join());
      assertEquals(limit, overloaded.limit());
      assertEquals(1, layer.stats().rejected());
      for (CompletionStage<Integer> h : held) assertTrue(!h.toCompletableFuture().isDone(), "accepted work untouched");

      release.countDown();
      List<CompletableFuture<Integer>> done = Layers.awaitAll(held);
      for (int i = 0; i < limit; i++) assertEquals(i, done.get(i).join());

      List<CompletionStage<Integer>> after = new ArrayList<>();
      for (int i = 0; i < limit; i++) after.add(layer.submit(HOLD, 100 + i));
      List<CompletableFuture<Integer>> recovered = Layers.awaitAll(after);
      for (int i = 0; i < limit; i++) assertEquals(100 + i, recovered.get(i).join());
      assertEquals(1, layer.stats().rejected(), "nothing refused once load dropped");
    }
  }

  @Test
  void aFullLayerSaysWhenItAcceptsMoreAndThenAcceptsIt() throws Exception {
    List<CountDownLatch> releases = IntStream.range(0, 3).mapToObj(i -> new CountDownLatch(1)).toList();
    try (ExecutionLayer layer = Layers.start(
        "pel.workers-per-node = 1\npel.max-in-flight-per-worker = 1\npel.max-pending-per-node = 1")) {
      layer.register(HOLD, (i, ctx) -> {
        releases.get(i).await();
        return i;
      });
      assertTrue(layer.whenAcceptingMore().toCompletableFuture().isDone(), "room now: at once");
      List<CompletionStage<Integer>> held = new ArrayList<>(List.of(layer.submit(HOLD, 0), layer.submit(HOLD, 1)));
      assertEquals(2, layer.stats().accepted(), "full: a limit of 1 routee x 1 in flight + 1 pending");
      assertTrue(layer.submit(HOLD, 2).toCompletableFuture().isCompletedExceptionally());

      CompletableFuture<Void> room = layer.whenAcceptingMore().toCompletableFuture();
      assertFalse(room.isDone(), "nothing accepted has completed");
      releases.get(0).countDown();
      Layers.await(room);
      assertEquals(0, Layers.await(held.get(0)));
      held.add(layer.submit(HOLD, 2));
      releases.get(1).countDown();
      releases.get(2).countDown();
      List<CompletableFuture<Integer>> done = Layers.awaitAll(held);
      for (int i = 0; i < 3; i++) assertEquals(i, done.get(i).join(), "the task offered once there was room was accepted");
      assertEquals(1, layer.stats().rejected());
    }
  }
}
