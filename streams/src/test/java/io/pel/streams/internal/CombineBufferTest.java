package io.pel.streams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.actors.NonRetryableException;
import io.pel.streams.Aggregator;
import io.pel.streams.Aggregators;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The map-side combine on a routee: one accumulator per key per batch, split by partition. */
class CombineBufferTest {

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static AggregationSpec<String, String, Long> spec(int partitions, Function<String, String> key) {
    return new AggregationSpec<>("words", List.of(), (Function) key, (Aggregator) Aggregators.counting(), partitions, 0, 0);
  }

  @Test
  void aBatchHoldsOneAccumulatorPerKeyAndIsSplitByPartition() throws Exception {
    List<Object> batch = new ArrayList<>();
    for (int i = 0; i < 1000; i++) batch.add(i % 10 == 0 ? "k" + i % 30 : "hot");
    PartitionStore.Partials partials = CombineBuffer.handler(spec(4, w -> w)).apply(batch, null);
    assertEquals(4, partials.partitions().size());
    Map<Object, Object> all = new HashMap<>();
    for (int p = 0; p < 4; p++) {
      Map<Object, Object> part = partials.partitions().get(p);
      if (part == null) continue;
      for (Object key : part.keySet()) assertEquals(p, CombineBuffer.partitionOf(key, 4), "partition of " + key);
      all.putAll(part);
    }
    Map<Object, Long> counts = new HashMap<>();
    all.forEach((key, accumulator) -> counts.put(key, ((Aggregators.LongValue) accumulator).value()));
    assertEquals(Map.of("hot", 900L, "k0", 34L, "k10", 33L, "k20", 33L), counts);
  }

  @Test
  void afterASplitTheBufferIsEmpty() {
    CombineBuffer buffer = new CombineBuffer(spec(3, w -> w));
    buffer.add("a");
    buffer.split();
    for (Map<Object, Object> part : buffer.split()) assertNull(part);
  }

  @Test
  void keysWhoseHashCodesAreMultiplesOfThePartitionCountStillSpread() {
    Set<Integer> used = new HashSet<>();
    for (int i = 0; i < 1000; i++) used.add(CombineBuffer.partitionOf(i * 32, 32));
    assertEquals(32, used.size());
  }

  @Test
  void aNullKeyIsRefusedWithoutRetryNamingTheAggregationAndTheElement() {
    CombineBuffer buffer = new CombineBuffer(spec(4, w -> w.isEmpty() ? null : w));
    NonRetryableException e = assertThrows(NonRetryableException.class, () -> buffer.add(""));
    assertEquals("keyed aggregation 'words': the grouping key function returned null for element ", e.getMessage());
    String longElement = "x".repeat(500);
    CombineBuffer throwing = new CombineBuffer(spec(4, w -> { throw new IllegalStateException("no key"); }));
    e = assertThrows(NonRetryableException.class, () -> throwing.add(longElement));
    assertTrue(e.getMessage().startsWith("keyed aggregation 'words': the grouping key function threw on element " + "x".repeat(100) + "...: "
        + "java.lang.IllegalStateException: no key"), e.getMessage());
  }
}
