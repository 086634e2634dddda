package io.pel.actors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The relay: results completed off the handing thread, and a blocked continuation holds back only its own. */
class CompletionRelayTest {

  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final CompletionRelay relay = new CompletionRelay(pool);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void everyResultAndFailureOfABatchIsCompletedOnceOffTheHandingThread() throws Exception {
    CompletionRelay.Batch batch = relay.batch();
    List<CompletableFuture<Object>> futures = new ArrayList<>();
    List<Thread> completers = new ArrayList<>();
    CountDownLatch allRan = new CountDownLatch(100);
    for (int i = 0; i < 100; i++) {
      CompletableFuture<Object> f = new CompletableFuture<>();
      f.whenComplete((v, e) -> {
        synchronized (completers) {
          completers.add(Thread.currentThread());
        }
        allRan.countDown();
      });
      futures.add(f);
      if (i % 10 == 3) batch.fail(f, new IllegalStateException("failed " + i));
      else batch.succeed(f, i);
    }
    relay.complete(batch);
    // Touch no future before every continuation has run: a thread that waits on a future helps run its
    // continuations, which would put this thread among the completers.
    assertTrue(allRan.await(10, TimeUnit.SECONDS));
    for (int i = 0; i < 100; i++) {
      CompletableFuture<Object> f = futures.get(i);
      if (i % 10 == 3) assertEquals("failed " + i, f.handle((v, e) -> e.getMessage()).getNow(null));
      else assertEquals(i, f.getNow(null));
    }
    synchronized (completers) {
      assertEquals(100, completers.size());
      assertFalse(completers.contains(Thread.currentThread()));
    }
  }

  @Test
  void aContinuationThatBlocksHoldsBackNoOtherResultOfItsBatch() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Object> blocking = new CompletableFuture<>();
    CompletableFuture<Object> blocked = blocking.thenApply(v -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return v;
    });
    CompletionRelay.Batch batch = relay.batch();
    batch.succeed(blocking, "first");
    List<CompletableFuture<Object>> others = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      CompletableFuture<Object> f = new CompletableFuture<>();
      others.add(f);
      batch.succeed(f, i);
    }
    relay.complete(batch);
    for (int i = 0; i < 50; i++) assertEquals(i, others.get(i).get(10, TimeUnit.SECONDS), "result " + i);
    assertFalse(blocked.isDone(), "the first one's continuation is still blocked");
    release.countDown();
    assertEquals("first", blocked.get(10, TimeUnit.SECONDS));
  }

  @Test
  void anEmptyBatchHandsNothingOver() {
    relay.complete(relay.batch());
    assertTrue(pool instanceof java.util.concurrent.ThreadPoolExecutor tpe && tpe.getTaskCount() == 0);
  }
}
