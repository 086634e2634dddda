package io.pel.streams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.actors.NonRetryableException;
import io.pel.streams.Aggregator;
import io.pel.streams.internal.PartitionStore.Discard;
import io.pel.streams.internal.PartitionStore.Drain;
import io.pel.streams.internal.PartitionStore.Drained;
import io.pel.streams.internal.PartitionStore.Merge;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;

/** The partition store applies every merge at most once, whatever order and concurrency retries bring. */
class PartitionStoreTest {

  private final PartitionStore store = new PartitionStore("test", combining((Long a, Long b) -> a + b));

  /** An aggregator of longs that combines with {@code combine}; the store only ever combines and finishes. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Aggregator<Object, Object, Object> combining(BinaryOperator<Long> combine) {
    return (Aggregator) Aggregator.of(() -> 0L, (Long n, Object element) -> n, combine);
  }

  private void merge(String run, int partition, long seq, Map<Object, Object> entries) {
    store.handle(new Merge(run, partition, seq, new HashMap<>(entries)), null);
  }

  private Drained drain(String run, int partition, boolean last) {
    return (Drained) store.handle(new Drain(run, partition, last), null);
  }

  @Test
  void aDuplicateMergeIsAppliedOnce() {
    merge("r", 0, 1, Map.of("a", 1L, "b", 2L));
    merge("r", 0, 1, Map.of("a", 1L, "b", 2L));
    merge("r", 0, 2, Map.of("a", 10L));
    assertEquals(new Drained(Map.of("a", 11L, "b", 2L), 2), drain("r", 0, false));
  }

  @Test
  void aMergeThatOvertakesAnEarlierOneIsCountedAndItsLateDuplicateIsNot() {
    merge("r", 3, 2, Map.of("a", 2L));
    merge("r", 3, 3, Map.of("a", 4L));
    merge("r", 3, 1, Map.of("a", 1L));
    merge("r", 3, 3, Map.of("a", 4L));
    merge("r", 3, 2, Map.of("a", 2L));
    assertEquals(new Drained(Map.of("a", 7L), 3), drain("r", 3, false));
  }

  @Test
  void aDrainReturnsOnlyTheKeysChangedSinceThePreviousOneWithTheirTotals() {
    merge("r", 0, 1, Map.of("a", 1L, "b", 2L));
    assertEquals(new Drained(Map.of("a", 1L, "b", 2L), 1), drain("r", 0, false));
    merge("r", 0, 2, Map.of("a", 5L));
    assertEquals(new Drained(Map.of("a", 6L), 2), drain("r", 0, false));
    assertEquals(new Drained(Map.of(), 2), drain("r", 0, true));
    assertTrue(store.runs().isEmpty(), "runs left: " + store.runs());
  }

  @Test
  void partitionsAndRunsAreSeparate() {
    merge("r1", 0, 1, Map.of("a", 1L));
    merge("r1", 1, 1, Map.of("a", 2L));
    merge("r2", 0, 1, Map.of("a", 3L));
    assertEquals(Set.of("r1", "r2"), store.runs());
    assertEquals(new Drained(Map.of("a", 1L), 1), drain("r1", 0, true));
    assertEquals(new Drained(Map.of("a", 2L), 1), drain("r1", 1, true));
    assertEquals(Set.of("r2"), store.runs());
  }

  @Test
  void aLateMergeAfterTheLastDrainOrADiscardDoesNotBringThePartitionBack() {
    merge("r", 0, 1, Map.of("a", 1L));
    drain("r", 0, true);
    merge("r", 0, 1, Map.of("a", 1L));
    merge("r", 1, 1, Map.of("a", 1L));
    store.handle(new Discard("r", 1), null);
    merge("r", 1, 2, Map.of("a", 1L));
    assertTrue(store.runs().isEmpty(), "runs left: " + store.runs());
    // What a stage sees after losing the partition: fewer merges than it sent.
    assertEquals(new Drained(Map.of(), 0), drain("r", 1, false));
  }

  @Test
  void aCombineThatThrowsFailsWithoutRetryNamingTheAggregationAndTheKey() {
    PartitionStore throwing = new PartitionStore("throwing", combining((Long a, Long b) -> {
      throw new IllegalStateException("injected");
    }));
    throwing.handle(new Merge("r", 0, 1, new HashMap<>(Map.of("a", 1L))), null);
    NonRetryableException e = assertThrows(NonRetryableException.class,
        () -> throwing.handle(new Merge("r", 0, 2, new HashMap<>(Map.of("a", 1L))), null));
    assertEquals("keyed aggregation 'throwing': the aggregator's combine threw for key a: java.lang.IllegalStateException: injected",
        e.getMessage());
  }

  @Test
  void aMergeFunctionReturningNullFailsWithoutRetryNamingTheKey() {
    PartitionStore nulls = new PartitionStore("nulls", combining((Long a, Long b) -> null));
    nulls.handle(new Merge("r", 0, 1, new HashMap<>(Map.of("k", 1L))), null);
    NonRetryableException e = assertThrows(NonRetryableException.class,
        () -> nulls.handle(new Merge("r", 0, 2, new HashMap<>(Map.of("k", 1L))), null));
    assertTrue(e.getMessage().contains("'nulls'") && e.getMessage().contains("key k"), e.getMessage());
  }

  @Test
  void concurrentDuplicatesInAnyOrderAreAppliedExactlyOnce() throws Exception {
    int merges = 2_000;
    List<Long> seqs = new ArrayList<>();
    for (long s = 1; s <= merges; s++) seqs.add(s);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        List<Long> order = new ArrayList<>(seqs);
        Collections.shuffle(order, new Random(t));
        done.add(threads.submit(() -> {
          for (long seq : order) merge("r", 0, seq, Map.of("k" + seq % 7, seq, "all", 1L));
        }));
      }
      for (Future<?> f : done) f.get(30, TimeUnit.SECONDS);
    } finally {
      threads.shutdownNow();
    }
    Map<Object, Object> expected = new HashMap<>();
    for (long seq = 1; seq <= merges; seq++) expected.merge("k" + seq % 7, seq, (a, b) -> (Long) a + (Long) b);
    expected.put("all", (long) merges);
    assertEquals(new Drained(expected, merges), drain("r", 0, true));
  }
}
