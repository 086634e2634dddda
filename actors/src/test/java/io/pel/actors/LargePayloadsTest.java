package io.pel.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Payloads that are large together but not alone: the supervisor sends a routee the tasks that queued up for
 * it in one message, and when that message is serialized (to another node, or here with {@code
 * serialize-messages} on) it must be cut under {@code pel.serialization.max-message-size}, each task with
 * its own payload. Uncut, the tasks waiting behind a held one would leave in one message of 4 MiB and
 * none of them would run.
 */
class LargePayloadsTest {

  private static final TaskType<byte[], Integer> SUM = TaskType.of("large-payloads.sum", byte[].class, Integer.class);
  private static final int TASKS = 40;
  private static final int BLOB_BYTES = 100 * 1024;

  @Test
  void tasksWhosePayloadsTogetherOutgrowAMessageEachRunWithTheirOwnPayload() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (ExecutionLayer layer = Layers.start("""
        pel.workers-per-node = 1
        pel.serialization.max-message-size = 1 MiB
        pekko.actor.serialize-messages = on
        """)) {
      layer.register(SUM, (blob, ctx) -> {
        if (blob.length == 0) release.await(30, TimeUnit.SECONDS);
        return blob.length == 0 ? -1 : blob.length * 1000 + blob[0];
      });
      // The type's service time becomes known, so the supervisor sends many of its tasks in one message.
      for (int i = 0; i < 20; i++) layer.submit(SUM, blob(1)).toCompletableFuture().get(30, TimeUnit.SECONDS);
      CompletableFuture<Integer> held = layer.submit(SUM, new byte[0]).toCompletableFuture();
      List<CompletableFuture<Integer>> sums = new ArrayList<>();
      for (int i = 0; i < TASKS; i++) sums.add(layer.submit(SUM, blob(i)).toCompletableFuture());
      release.countDown();
      assertEquals(-1, held.get(30, TimeUnit.SECONDS));
      for (int i = 0; i < TASKS; i++) {
        assertEquals(BLOB_BYTES * 1000 + i, sums.get(i).get(30, TimeUnit.SECONDS), "task " + i); // "too large" would throw
      }
    }
  }

  private static byte[] blob(int fill) {
    byte[] blob = new byte[BLOB_BYTES];
    Arrays.fill(blob, (byte) fill);
    return blob;
  }
}
