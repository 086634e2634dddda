package io.pel.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The retry policy: transient failures recover, poison tasks fail alone, timeouts are retried. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetryTest {

  private static final TaskType<Integer, Integer> FLAKY = TaskType.of("flaky", Integer.class, Integer.class);
  private static final TaskType<Integer, Integer> DOUBLE = TaskType.of("double-or-poison", Integer.class, Integer.class);
  private static final TaskType<String, String> REFUSE = TaskType.of("refuse", String.class, String.class);
  private static final TaskType<Integer, Integer> STUCK = TaskType.of("stuck-first", Integer.class, Integer.class);
  private static final int POISON = -4242;

  private final AtomicInteger poisonAttempts = new AtomicInteger();
  private final AtomicInteger refuseAttempts = new AtomicInteger();
  private final CountDownLatch unstick = new CountDownLatch(1);
  private ExecutionLayer layer;

  @BeforeAll
  void start() {
    layer = Layers.start("pel.workers-per-node = 4\npel.retry.max-attempts = 3\npel.task-timeout = 300ms");
    layer.register(FLAKY, (i, ctx) -> {
      if (ctx.attempt() == 1) throw new IOException("connection reset (injected)");
      return i + 1;
    });
    layer.register(DOUBLE, (i, ctx) -> {
      if (i == POISON) {
        poisonAttempts.incrementAndGet();
        throw new IllegalStateException("poison input " + i);
      }
      return i * 2;
    });
    layer.register(REFUSE, (s, ctx) -> {
      refuseAttempts.incrementAndGet();
      throw new NonRetryableException("malformed order: " + s);
    });
    layer.register(STUCK, (i, ctx) -> {
      if (ctx.attempt() == 1) unstick.await();
      return i;
    });
  }

  @AfterAll
  void stop() {
    unstick.countDown();
    layer.close();
  }

  @Test
  void aTransientFailureSucceedsOnRetry() throws Exception {
    long retriesBefore = layer.stats().retries();
    assertEquals(8, Layers.await(layer.submit(FLAKY, 7)));
    assertTrue(layer.stats().retries() > retriesBefore);
  }

  @Test
  void aPoisonTaskFailsAfterMaxAttemptsWhileTenThousandAroundItSucceed() throws Exception {
    List<CompletionStage<Integer>> runs = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) runs.add(layer.submit(DOUBLE, i == 5_000 ? POISON : i));
    List<CompletableFuture<Integer>> done = Layers.awaitAll(runs);
    for (int i = 0; i < done.size(); i++) {
      if (i == 5_000) continue;
      assertEquals(i * 2, done.get(i).join(), "task " + i);
    }
    ExecutionException thrown = assertThrows(ExecutionException.class, () -> done.get(5_000).get());
    TaskFailedException failed = assertInstanceOf(TaskFailedException.class, thrown.getCause());
    assertEquals(3, failed.attempts());
    assertEquals(3, poisonAttempts.get());
    assertEquals("double-or-poison", failed.taskType());
    assertInstanceOf(IllegalStateException.class, failed.getCause());
    assertTrue(failed.getMessage().contains(failed.taskId()) && failed.getMessage().contains("poison input -4242"),
        failed.getMessage());
  }

  @Test
  void aNonRetryableFailureFailsAtOnce() {
    ExecutionException thrown = assertThrows(ExecutionException.class, () -> Layers.await(layer.submit(REFUSE, "x")));
    TaskFailedException failed = assertInstanceOf(TaskFailedException.class, thrown.getCause());
    assertEquals(1, failed.attempts());
    assertEquals(1, refuseAttempts.get());
    assertInstanceOf(NonRetryableException.class, failed.getCause());
  }

  @Test
  void anAttemptPastTheTimeoutIsRetriedAndTheLateResultDropped() throws Exception {
    long timeoutsBefore = layer.stats().timeouts();
    long duplicatesBefore = layer.stats().duplicatesDropped();
    assertEquals(11, Layers.await(layer.submit(STUCK, 11)));
    assertTrue(layer.stats().timeouts() > timeoutsBefore);
    unstick.countDown();
    // The first attempt now answers too; the supervisor drops it rather than completing the task twice.
    Layers.await(Stats.until(layer, s -> s.duplicatesDropped() > duplicatesBefore));
  }
}
