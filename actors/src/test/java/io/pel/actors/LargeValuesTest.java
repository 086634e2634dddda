package io.pel.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Values that are large together but not alone. The supervisor sends a routee the tasks that queued up for
 * it in one message, and the routee answers them together; when those messages are serialized (between
 * nodes, or here with {@code serialize-messages} on) they must cross in messages under {@code
 * pel.serialization.max-message-size}, each task with its own payload and result. Before messages were cut
 * by size, the values past the limit failed "too large" in place of none (results), or none of the tasks
 * ran (payloads).
 */
class LargeValuesTest {

  private static final TaskType<Integer, byte[]> BLOB = TaskType.of("large-values.blob", Integer.class, byte[].class);
  private static final TaskType<byte[], Integer> SUM = TaskType.of("large-values.sum", byte[].class, Integer.class);
  private static final int TASKS = 40;
  private static final int BLOB_BYTES = 100 * 1024;
  /** One routee, so the tasks queue up behind a held one and leave for it together; 1 MiB messages, all serialized. */
  private static final String CONFIG = """
      pel.workers-per-node = 1
      pel.serialization.max-message-size = 1 MiB
      pekko.actor.serialize-messages = on
      """;

  @Test
  void aMessageOfTasksWhoseResultsTogetherOutgrowAMessageAnswersEveryOneWithItsOwnResult() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (ExecutionLayer layer = Layers.start(CONFIG)) {
      layer.register(BLOB, (i, ctx) -> {
        if (i < 0) release.await(30, TimeUnit.SECONDS);
        return blob(i < 0 ? 1 : BLOB_BYTES, i);
      });
      Queued<byte[]> queued = queuedBehindAHeldOne(layer, BLOB, 1000, -1, i -> i, release);
      assertEquals(1, queued.held().length);
      List<CompletableFuture<byte[]>> blobs = queued.behind();
      for (int i = 0; i < TASKS; i++) {
        byte[] blob = blobs.get(i).get(30, TimeUnit.SECONDS); // a task failed "too large" would throw here
        assertEquals(BLOB_BYTES, blob.length, "result " + i);
        assertEquals((byte) i, blob[0], "result " + i);
      }
    }
  }

  @Test
  void tasksWhosePayloadsTogetherOutgrowAMessageEachRunWithTheirOwnPayload() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (ExecutionLayer layer = Layers.start(CONFIG)) {
      layer.register(SUM, (blob, ctx) -> {
        if (blob.length == 0) release.await(30, TimeUnit.SECONDS);
        return blob.length * 1000 + (blob.length == 0 ? 0 : blob[0]);
      });
      Queued<Integer> queued = queuedBehindAHeldOne(layer, SUM, blob(BLOB_BYTES, 1), new byte[0], i -> blob(BLOB_BYTES, i), release);
      assertEquals(0, queued.held());
      List<CompletableFuture<Integer>> sums = queued.behind();
      for (int i = 0; i < TASKS; i++) {
        assertEquals(BLOB_BYTES * 1000 + i, sums.get(i).get(30, TimeUnit.SECONDS), "task " + i); // "too large" would throw
      }
    }
  }

  /** The held task's result, and the futures of the tasks that queued up behind it. */
  private record Queued<O>(O held, List<CompletableFuture<O>> behind) {}

  /**
   * Runs 20 of {@code warm} (so that the type's service time is known and the supervisor sends many of its
   * tasks in one message), then {@code hold}, which waits for {@code release}, then {@link #TASKS} inputs
   * that queue up behind it; releases it and returns its result and their futures.
   */
  private static <I, O> Queued<O> queuedBehindAHeldOne(ExecutionLayer layer, TaskType<I, O> type, I warm,
      I hold, IntFunction<I> input, CountDownLatch release) throws Exception {
    for (int i = 0; i < 20; i++) layer.submit(type, warm).toCompletableFuture().get(30, TimeUnit.SECONDS);
    CompletableFuture<O> held = layer.submit(type, hold).toCompletableFuture();
    List<CompletableFuture<O>> queued = new ArrayList<>();
    for (int i = 0; i < TASKS; i++) queued.add(layer.submit(type, input.apply(i)).toCompletableFuture());
    release.countDown();
    return new Queued<>(held.get(30, TimeUnit.SECONDS), queued);
  }

  private static byte[] blob(int size, int fill) {
    byte[] blob = new byte[size];
    Arrays.fill(blob, (byte) fill);
    return blob;
  }
}
