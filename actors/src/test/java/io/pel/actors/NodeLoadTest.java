package io.pel.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A node's load: its routees' busy time counts the time they spend in their handlers, not the time an
 * asynchronous handler's result is awaited; completed attempts and waiting tasks are counted; and two
 * readings give busy fraction and rates.
 */
class NodeLoadTest {

  private static final TaskType<Integer, Integer> SLEEPY = TaskType.of("load-sleepy", Integer.class, Integer.class);
  private static final TaskType<Integer, Integer> AWAITED = TaskType.of("load-awaited", Integer.class, Integer.class);
  private static final long MILLIS = 20;

  @Test
  void aSynchronousHandlerIsBusyWhileItRunsAnAsynchronousOneOnlyWhileItStarts() throws Exception {
    try (ExecutionLayer layer = Layers.start("pel.workers-per-node = 2")) {
      layer.register(SLEEPY, (i, ctx) -> {
        Thread.sleep(MILLIS);
        return i;
      });
      layer.registerAsync(AWAITED, (i, ctx) -> CompletableFuture.supplyAsync(() -> i,
          CompletableFuture.delayedExecutor(MILLIS, TimeUnit.MILLISECONDS)));
      NodeLoad before = layer.load(System.nanoTime());
      assertEquals(2, before.routees());
      await(layer, SLEEPY, 20);
      // A routee counts an attempt done as it hands its answer on, and its busy time once the message ends: a
      // moment after the caller's stage completes. Wait (bounded) for both counts to come in.
      long busyFloor = 20 * MILLIS * 1_000_000;
      Layers.await(Stats.until(() -> {
        NodeLoad now = layer.load(System.nanoTime());
        return now.completed() - before.completed() == 20 && now.busyNanos() - before.busyNanos() >= busyFloor;
      }).exceptionally(timedOut -> null));
      NodeLoad afterSync = layer.load(System.nanoTime());
      assertEquals(20, afterSync.completed() - before.completed());
      long syncBusy = afterSync.busyNanos() - before.busyNanos();
      assertTrue(syncBusy >= busyFloor, "20 attempts that each sleep 20 ms on a routee's thread: busy " + syncBusy / 1e6 + " ms");

      await(layer, AWAITED, 20);
      Layers.await(Stats.until(() -> layer.load(System.nanoTime()).completed() - afterSync.completed() == 20).exceptionally(timedOut -> null));
      NodeLoad afterAsync = layer.load(System.nanoTime());
      assertEquals(20, afterAsync.completed() - afterSync.completed());
      long asyncBusy = afterAsync.busyNanos() - afterSync.busyNanos();
      assertTrue(asyncBusy < 10 * MILLIS * 1_000_000, "20 awaited attempts of 20 ms keep the routees busy only to start them: " + asyncBusy / 1e6 + " ms");
    }
  }

  @Test
  void tasksWaitingForARouteeWithRoomAreCounted() throws Exception {
    try (ExecutionLayer layer = Layers.start("pel.workers-per-node = 1")) {
      CompletableFuture<Void> gate = new CompletableFuture<>();
      layer.register(SLEEPY, (i, ctx) -> {
        gate.get(30, TimeUnit.SECONDS);
        return i;
      });
      List<CompletionStage<Integer>> all = new ArrayList<>();
      for (int i = 0; i < 50; i++) all.add(layer.submit(SLEEPY, i));
      // One routee, a synchronous handler of unknown service time: two attempts bound to it, the rest wait.
      Layers.await(Stats.until(() -> layer.load(System.nanoTime()).waiting() == 48));
      gate.complete(null);
      for (CompletionStage<Integer> s : all) Layers.await(s);
      Layers.await(Stats.until(() -> layer.load(System.nanoTime()).waiting() == 0));
    }
  }

  @Test
  void twoReadingsGiveTheWindow() {
    NodeLoad earlier = new NodeLoad(1_000_000_000L, 0, 100, 4, 0);
    NodeLoad later = new NodeLoad(3_000_000_000L, 4_000_000_000L, 2_100, 4, 7);
    NodeLoad.Window w = later.between(earlier);
    assertEquals(2.0, w.seconds(), 1e-9);
    assertEquals(0.5, w.busyFraction(), 1e-9, "4 s busy of 4 routees x 2 s");
    assertEquals(1000, w.completedPerSecond(), 1e-9);
    assertEquals(2000, w.trueRatePerSecond(), 1e-9);
    assertEquals(7, w.waiting());
    assertThrows(IllegalArgumentException.class, () -> earlier.between(later));
    assertEquals(0, new NodeLoad(2, 0, 0, 0, 0).between(new NodeLoad(1, 0, 0, 0, 0)).busyFraction(), "no routees: never busy");
  }

  private static void await(ExecutionLayer layer, TaskType<Integer, Integer> type, int n) throws Exception {
    List<CompletionStage<Integer>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) all.add(layer.submit(type, i));
    for (CompletionStage<Integer> s : all) Layers.await(s);
  }
}
