package io.pel.streams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The map-side combiner: one accumulator per key per batch, split by partition. */
class CombineBufferTest {

  private static AggregationSpec<String, String, Long> spec(int partitions) {
    return new AggregationSpec<>("words", (String w) -> w, () -> 0L, (n, w) -> n + 1, Long::sum,
        partitions, 100, Duration.ofMillis(10), 1, false);
  }

  @Test
  void aBatchHoldsOneAccumulatorPerKeyAndIsSplitByPartition() {
    CombineBuffer<String, String, Long> buffer = new CombineBuffer<>(spec(4));
    for (int i = 0; i < 1000; i++) buffer.add(i % 10 == 0 ? "k" + i % 30 : "hot");
    assertEquals(1000, buffer.elements());
    Map<Object, Object>[] parts = buffer.split();
    Map<Object, Object> all = new HashMap<>();
    for (int p = 0; p < parts.length; p++) {
      if (parts[p] == null) continue;
      for (Object key : parts[p].keySet()) assertEquals(p, CombineBuffer.partitionOf(key, 4), "partition of " + key);
      all.putAll(parts[p]);
    }
    assertEquals(Map.of("hot", 900L, "k0", 34L, "k10", 33L, "k20", 33L), all);
    assertTrue(buffer.isEmpty());
    for (Map<Object, Object> part : buffer.split()) assertNull(part);
  }

  @Test
  void keysWhoseHashCodesAreMultiplesOfThePartitionCountStillSpread() {
    Set<Integer> used = new HashSet<>();
    for (int i = 0; i < 1000; i++) used.add(CombineBuffer.partitionOf(i * 32, 32));
    assertEquals(32, used.size());
  }

  @Test
  void aNullKeyIsRefusedNamingTheAggregationAndTheElement() {
    var spec = new AggregationSpec<String, String, Long>("words", w -> w.isEmpty() ? null : w, () -> 0L,
        (n, w) -> n + 1, Long::sum, 4, 100, Duration.ofMillis(10), 1, false);
    NullPointerException e = assertThrows(NullPointerException.class, () -> new CombineBuffer<>(spec).add(""));
    assertEquals("the key function of keyed aggregation 'words' returned null for element ", e.getMessage());
  }
}
