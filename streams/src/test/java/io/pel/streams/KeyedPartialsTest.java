package io.pel.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.Layers;
import io.pel.actors.TaskType;
import io.pel.streams.GeneratedSales.Sale;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.LongStream;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.Test;

/**
 * Keyed aggregation of input combined inside tasks: partials made by the combiner or from the caller's
 * own map give exactly the single-threaded totals, also when every message crosses Kryo.
 */
class KeyedPartialsTest {

  private static final int CHUNKS = 40;
  private static final int SALES_PER_CHUNK = 5_000;

  /** Chunk {@code i} of the input: sales generated from seed {@code i}. */
  private static List<Sale> chunk(long i) {
    return GeneratedSales.generate(SALES_PER_CHUNK, 1_000 + i);
  }

  private static final KeyedAggregation<Sale, String, Long> REVENUE = KeyedAggregation.named("partials.revenue",
      Sale::customer, () -> 0L, (Long sum, Sale sale) -> sum + sale.cents(), Long::sum).withPartitions(8);

  /** Combines a chunk on a routee: even chunks with the combiner, odd ones from a map the handler sums itself. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final TaskType<Long, KeyedPartials<String, Long>> COMBINE_CHUNK =
      (TaskType) TaskType.of("partials.combine-chunk", Long.class, KeyedPartials.class);

  private static ExecutionLayer layer(String hocon) {
    ExecutionLayer layer = Layers.start("pel.workers-per-node = 4\n" + hocon);
    REVENUE.register(layer);
    layer.register(COMBINE_CHUNK, (i, ctx) -> {
      List<Sale> sales = chunk(i);
      if (i % 2 == 0) {
        KeyedAggregation.Combiner<Sale, String, Long> combiner = REVENUE.combiner();
        sales.forEach(combiner::add);
        return combiner.finish();
      }
      return REVENUE.partials(GeneratedSales.revenue(sales), sales.size());
    });
    return layer;
  }

  private static Map<String, Long> expected() {
    List<Sale> all = new ArrayList<>();
    for (long i = 0; i < CHUNKS; i++) all.addAll(chunk(i));
    return GeneratedSales.revenue(all);
  }

  private static Source<KeyedPartials<String, Long>, ?> combinedOnRoutees(ExecutionLayer layer) {
    return Source.fromIterator(() -> LongStream.range(0, CHUNKS).boxed().iterator())
        .via(ParallelFlow.of(layer, COMBINE_CHUNK).unordered().flow());
  }

  @Test
  void partialsCombinedInTasksGiveTheSingleThreadedTotalsAcrossKryo() throws Exception {
    try (ExecutionLayer layer = layer("pekko.actor.serialize-messages = on")) {
      List<KeyedAggregate<String, Long>> totals = Layers.await(
          combinedOnRoutees(layer).via(REVENUE.partialsFlow(layer)).runWith(Sink.seq(), layer.system()));
      Map<String, Long> byKey = new HashMap<>();
      for (KeyedAggregate<String, Long> t : totals) assertNull(byKey.put(t.key(), t.value()), "emitted twice: " + t.key());
      assertEquals(expected(), byKey);
    }
  }

  @Test
  void partialsSnapshotsEndWithTheSingleThreadedTotals() throws Exception {
    try (ExecutionLayer layer = layer("")) {
      List<AggregateSnapshot<String, Long>> snapshots = Layers.await(combinedOnRoutees(layer)
          .via(REVENUE.partialsSnapshots(layer, Duration.ofMillis(5))).runWith(Sink.seq(), layer.system()));
      Map<String, Long> latest = new HashMap<>();
      for (AggregateSnapshot<String, Long> s : snapshots) latest.putAll(s.changed());
      assertTrue(snapshots.get(snapshots.size() - 1).last());
      assertEquals(expected(), latest);
    }
  }

  @Test
  void partialsOfAnotherAggregationFailTheStreamNamingBoth() {
    KeyedAggregation<Sale, String, Long> other = REVENUE.withPartitions(4);
    KeyedPartials<String, Long> foreign = other.partials(Map.of("a", 1L), 1);
    try (ExecutionLayer layer = layer("")) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> Source.single(foreign)
          .via(REVENUE.partialsFlow(layer)).runWith(Sink.seq(), layer.system()).toCompletableFuture().get());
      assertEquals(IllegalArgumentException.class, e.getCause().getClass());
      assertEquals("keyed aggregation 'partials.revenue' (8 partitions) got partials combined for 'partials.revenue' "
          + "(4 partitions)", e.getCause().getMessage());
    }
  }

  @Test
  void partialsWithANullAggregateAreRefusedNamingTheAggregationAndKey() {
    Map<String, Long> counts = new HashMap<>();
    counts.put("k", null);
    NullPointerException e = assertThrows(NullPointerException.class, () -> REVENUE.partials(counts, 1));
    assertEquals("partials for keyed aggregation 'partials.revenue' hold a null aggregate for key k", e.getMessage());
  }
}
