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
 * Results that are large together but not alone: a routee answers the tasks of one message together, and
 * when those answers are serialized (between nodes, or here with {@code serialize-messages} on) they must
 * cross in messages under {@code pel.serialization.max-message-size}, each task with its own result. Before
 * answers were cut by size, the answers past the limit failed "too large" in place of none.
 */
class LargeResultsTest {

  private static final TaskType<Integer, byte[]> BLOB = TaskType.of("large-results.blob", Integer.class, byte[].class);
  private static final int TASKS = 40;
  private static final int BLOB_BYTES = 100 * 1024;

  @Test
  void aMessageOfTasksWhoseResultsTogetherOutgrowAMessageAnswersEveryOneWithItsOwnResult() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    // One routee, so the tasks queue up behind a held one and leave for it together; 1 MiB messages, all serialized.
    try (ExecutionLayer layer = Layers.start("""
        pel.workers-per-node = 1
        pel.serialization.max-message-size = 1 MiB
        pekko.actor.serialize-messages = on
        """)) {
      layer.register(BLOB, (i, ctx) -> {
        if (i < 0) release.await(30, TimeUnit.SECONDS);
        byte[] blob = new byte[i < 0 ? 1 : BLOB_BYTES];
        Arrays.fill(blob, (byte) (int) i);
        return blob;
      });
      // The type's service time becomes known, so the supervisor sends many of its tasks in one message.
      for (int i = 0; i < 20; i++) layer.submit(BLOB, 1000 + i).toCompletableFuture().get(30, TimeUnit.SECONDS);
      CompletableFuture<byte[]> held = layer.submit(BLOB, -1).toCompletableFuture();
      List<CompletableFuture<byte[]>> blobs = new ArrayList<>();
      for (int i = 0; i < TASKS; i++) blobs.add(layer.submit(BLOB, i).toCompletableFuture());
      release.countDown();
      held.get(30, TimeUnit.SECONDS);
      for (int i = 0; i < TASKS; i++) {
        byte[] blob = blobs.get(i).get(30, TimeUnit.SECONDS); // a task failed "too large" would throw here
        assertEquals(BLOB_BYTES, blob.length, "result " + i);
        assertEquals((byte) i, blob[0], "result " + i);
      }
    }
  }
}
