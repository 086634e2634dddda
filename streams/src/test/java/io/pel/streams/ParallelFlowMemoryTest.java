package io.pel.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.Layers;
import io.pel.actors.TaskType;
import java.time.Duration;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.Test;

/**
 * Memory is bounded by the parallelism, not by the input: 2,000,000 elements of 512 bytes (about 1 GB
 * in all) pass through a ParallelFlow in a JVM of 256 MB. Surefire runs this class alone with
 * {@code -Xmx256m} (see this module's pom), so a stage that buffered its input would run out of heap.
 */
class ParallelFlowMemoryTest {

  private static final int ELEMENTS = 2_000_000;
  private static final int SIZE = 512;
  private static final TaskType<byte[], Long> SUM = TaskType.of("memory.sum", byte[].class, Long.class);

  private static byte[] element(int i) {
    byte[] bytes = new byte[SIZE];
    for (int j = 0; j < SIZE; j++) bytes[j] = (byte) (i * 31 + j * 7);
    return bytes;
  }

  private static long weigh(byte[] bytes) {
    long sum = 0;
    for (int j = 0; j < bytes.length; j++) sum += (bytes[j] & 0xff) * (long) (j + 1);
    return sum;
  }

  @Test
  void twoMillionElementsFlowThroughASmallHeapWithAnExactChecksum() throws Exception {
    long maxHeap = Runtime.getRuntime().maxMemory();
    assertTrue(maxHeap <= 300L << 20, "this test must run with -Xmx256m; the heap is " + (maxHeap >> 20) + " MB");
    long expected = 0;
    for (int i = 0; i < ELEMENTS; i++) expected += weigh(element(i)) ^ i;

    try (ExecutionLayer layer = Layers.start("pel.workers-per-node = 2")) {
      layer.register(SUM, (bytes, ctx) -> weigh(bytes));
      long total = Layers.await(Source.range(0, ELEMENTS - 1)
          .map(ParallelFlowMemoryTest::element)
          .via(ParallelFlow.of(layer, SUM).parallelism(8).batched(256, Duration.ofMillis(5)).outcomes())
          .zipWithIndex()
          .runWith(Sink.fold(0L, (acc, pair) -> acc + (pair.first().second().result() ^ pair.second())), layer.system()));
      assertEquals(expected, total);
      assertEquals(ELEMENTS / 256 + 1, layer.stats().succeeded(), "every batch of 256 was one task");
    }
  }
}
