package io.pel.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.Layers;
import io.pel.streams.GeneratedSales.Sale;
import io.pel.streams.internal.PartitionStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.testkit.TestPublisher;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.stream.testkit.javadsl.TestSource;
import org.junit.jupiter.api.Test;

/** Keyed aggregation gives exactly the single-threaded answer, for bounded and for unbounded input. */
class KeyedAggregationTest {

  /** A user accumulator, registered with Kryo for the serialized run. */
  public record Totals(long count, long cents) {
    Totals plus(Totals other) {
      return new Totals(count + other.count, cents + other.cents);
    }
  }

  private static final String LAYER = """
      pel.workers-per-node = 4
      pekko.test.single-expect-default = 20s
      """;

  private static KeyedAggregation<Sale, String, Long> revenue(String name) {
    return KeyedAggregation.named(name, Sale.class).groupingKey(Sale::customer).aggregate(Aggregators.summingLong(Sale::cents));
  }

  private static <K, A> Map<K, A> byKey(List<KeyedAggregate<K, A>> aggregates) {
    Map<K, A> map = new HashMap<>();
    for (KeyedAggregate<K, A> a : aggregates) assertNull(map.put(a.key(), a.value()), "key emitted twice: " + a.key());
    return map;
  }

  @Test
  void boundedInputGivesExactlyTheSingleThreadedTotalsPerRun() throws Exception {
    List<Sale> sales = GeneratedSales.generate(200_000, 42);
    List<Sale> others = GeneratedSales.generate(30_000, 7);
    KeyedAggregation<Sale, String, Long> revenue = revenue("revenue").withPartitions(16);
    try (ExecutionLayer layer = Layers.start(LAYER)) {
      PartitionStore store = revenue.registerStore(layer);
      // Two runs at once on one layer: each has its own state.
      CompletionStage<Map<String, Long>> first = Source.from(sales).via(revenue.flow(layer)).runWith(KeyedAggregate.toMap(), layer.system());
      CompletionStage<List<KeyedAggregate<String, Long>>> second =
          Source.from(others).via(revenue.flow(layer)).runWith(Sink.seq(), layer.system());

      assertEquals(GeneratedSales.revenue(sales), Layers.await(first));
      assertEquals(GeneratedSales.revenue(others), byKey(Layers.await(second)));
      assertTrue(store.runs().isEmpty(), "state left behind: " + store.runs());
      // Batches formed by themselves: far fewer tasks (combines, one merge per partition each, drains) than elements.
      long tasks = layer.stats().submitted();
      assertTrue(tasks < (sales.size() + others.size()) / 20, tasks + " tasks for " + (sales.size() + others.size()) + " sales");
    }
  }

  @Test
  void aFullLayerIsBackpressureNotFailure() throws Exception {
    List<Sale> sales = GeneratedSales.generate(20_000, 8);
    // A layer that takes one task at a time: three runs at once keep finding it full, for combines and merges alike.
    try (ExecutionLayer small = Layers.start("pel.workers-per-node = 1\npel.max-in-flight-per-worker = 1\npel.max-pending-per-node = 1")) {
      KeyedAggregation<Sale, String, Long> revenue = revenue("revenue-small").withPartitions(8).register(small);
      List<CompletionStage<Map<String, Long>>> runs = new java.util.ArrayList<>();
      for (int r = 0; r < 3; r++) {
        runs.add(Source.from(sales).via(revenue.flow(small)).runWith(KeyedAggregate.toMap(), small.system()));
      }
      for (CompletionStage<Map<String, Long>> run : runs) assertEquals(GeneratedSales.revenue(sales), Layers.await(run));
      assertTrue(small.stats().rejected() > 0, "the layer was overloaded and the aggregations rode it out");
    }
  }

  @Test
  void extremeSettingsGiveTheSameAnswer() throws Exception {
    List<Sale> sales = GeneratedSales.generate(20_000, 3);
    try (ExecutionLayer layer = Layers.start(LAYER)) {
      KeyedAggregation<Sale, String, Long> one = revenue("one-partition")
          .withPartitions(1).withBatch(7).withParallelism(1).register(layer);
      KeyedAggregation<Sale, String, Long> many = revenue("many-partitions")
          .withPartitions(512).withBatch(5_000).withParallelism(16).register(layer);
      KeyedAggregation<Sale, String, Long> defaults = revenue("defaults").register(layer);
      Map<String, Long> expected = GeneratedSales.revenue(sales);
      for (KeyedAggregation<Sale, String, Long> aggregation : List.of(one, many, defaults)) {
        List<KeyedAggregate<String, Long>> out =
            Layers.await(Source.from(sales).via(aggregation.flow(layer)).runWith(Sink.seq(), layer.system()));
        assertEquals(expected, byKey(out), aggregation.toString());
      }
      assertEquals(List.of(), Layers.await(Source.<Sale>empty().via(one.flow(layer)).runWith(Sink.seq(), layer.system())));
    }
  }

  @Test
  void everySnapshotIsConsistentAndTheLastValuesAreTheSingleThreadedTotals() throws Exception {
    int waves = 5;
    int perWave = 2_000;
    List<Sale> sales = GeneratedSales.generate(waves * perWave, 11);
    KeyedAggregation<Sale, String, Long> purchases = KeyedAggregation.named("purchases", Sale.class)
        .groupingKey(Sale::customer).aggregate(Aggregators.counting())
        .withPartitions(8).withBatch(64);
    try (ExecutionLayer layer = Layers.start(LAYER)) {
      PartitionStore store = purchases.registerStore(layer);
      // Upstream sends sales in chunks of 100, one probe message each; the stage still pulls them one by one.
      Pair<TestPublisher.Probe<List<Sale>>, TestSubscriber.Probe<AggregateSnapshot<String, Long>>> probes =
          TestSource.<List<Sale>>create(layer.system())
              .mapConcat(chunk -> chunk)
              .via(purchases.snapshots(layer, Duration.ofMillis(20)))
              .toMat(TestSink.create(layer.system()), Keep.both())
              .run(layer.system());
      TestPublisher.Probe<List<Sale>> upstream = probes.first();
      TestSubscriber.Probe<AggregateSnapshot<String, Long>> downstream = probes.second();
      Map<String, Long> view = new HashMap<>();
      long sequence = 0;
      for (int wave = 1; wave <= waves; wave++) {
        for (int from = (wave - 1) * perWave; from < wave * perWave; from += 100) {
          upstream.sendNext(sales.subList(from, from + 100));
        }
        Map<String, Long> sentSoFar = GeneratedSales.counts(sales.subList(0, wave * perWave));
        while (!view.equals(sentSoFar)) {
          AggregateSnapshot<String, Long> snapshot = downstream.requestNext();
          assertEquals(++sequence, snapshot.sequence());
          assertFalse(snapshot.last());
          view.putAll(snapshot.changed());
          assertIsTheFoldOfAPrefix(view, sales, sequence);
        }
      }
      upstream.sendComplete();
      AggregateSnapshot<String, Long> snapshot;
      do {
        snapshot = downstream.requestNext();
        assertEquals(++sequence, snapshot.sequence());
        view.putAll(snapshot.changed());
      } while (!snapshot.last());
      downstream.expectComplete();
      assertEquals(GeneratedSales.counts(sales), view);
      assertTrue(store.runs().isEmpty(), "state left behind: " + store.runs());
    }
  }

  /** Counts are what the stage pulled in order, so a consistent view is the fold of the first n sales. */
  private static void assertIsTheFoldOfAPrefix(Map<String, Long> view, List<Sale> sales, long sequence) {
    long n = view.values().stream().mapToLong(Long::longValue).sum();
    assertTrue(n <= sales.size(), "snapshot " + sequence + " counts " + n + " sales");
    assertEquals(GeneratedSales.counts(sales.subList(0, (int) n)), view,
        "after snapshot " + sequence + " the view is not the totals of the first " + n + " sales");
  }

  /** A user accumulator, changed in place, registered with Kryo for the serialized run. */
  public static final class MutableTotals {
    long count;
    long cents;
  }

  /** A user aggregator over it, implemented as a class: count and cents of a customer's sales. */
  static final class TotalsAggregator implements Aggregator<Sale, MutableTotals, Totals> {
    @Override
    public MutableTotals create() {
      return new MutableTotals();
    }

    @Override
    public MutableTotals accumulate(MutableTotals totals, Sale sale) {
      totals.count++;
      totals.cents += sale.cents();
      return totals;
    }

    @Override
    public MutableTotals combine(MutableTotals left, MutableTotals right) {
      left.count += right.count;
      left.cents += right.cents;
      return left;
    }

    @Override
    public Totals finish(MutableTotals totals) {
      return new Totals(totals.count, totals.cents);
    }
  }

  @Test
  void everyCombineMergeAndDrainCrossesTheWireWithUserTypes() throws Exception {
    String config = """
        pekko.actor.serialize-messages = on
        pel.workers-per-node = 2
        pel.serialization.classes = ["io.pel.streams.KeyedAggregationTest$Totals", "io.pel.streams.KeyedAggregationTest$MutableTotals",
            "io.pel.streams.GeneratedSales$Sale"]
        """;
    List<Sale> sales = GeneratedSales.generate(20_000, 5);
    Map<String, Totals> expected = new HashMap<>();
    for (Sale sale : sales) expected.merge(sale.customer(), new Totals(1, sale.cents()), Totals::plus);
    KeyedAggregation<Sale, String, Totals> byClass = KeyedAggregation.named("totals", Sale.class)
        .groupingKey(Sale::customer).aggregate(new TotalsAggregator()).withPartitions(8);
    // The same with immutable records and Aggregator.of: the accumulator is the result.
    KeyedAggregation<Sale, String, Totals> byFunctions = KeyedAggregation.named("totals-of", Sale.class)
        .groupingKey(Sale::customer)
        .aggregate(Aggregator.of(() -> new Totals(0, 0), (Totals t, Sale sale) -> t.plus(new Totals(1, sale.cents())), Totals::plus))
        .withPartitions(8);
    try (ExecutionLayer layer = Layers.start(config)) {
      for (KeyedAggregation<Sale, String, Totals> totals : List.of(byClass.register(layer), byFunctions.register(layer))) {
        assertEquals(expected, Layers.await(Source.from(sales).via(totals.flow(layer)).runWith(KeyedAggregate.toMap(), layer.system())),
            totals.toString());

        List<AggregateSnapshot<String, Totals>> snapshots = Layers.await(
            Source.from(sales).via(totals.snapshots(layer, Duration.ofMillis(5))).runWith(Sink.seq(), layer.system()));
        Map<String, Totals> view = new HashMap<>();
        for (AggregateSnapshot<String, Totals> snapshot : snapshots) view.putAll(snapshot.changed());
        assertEquals(expected, view, totals.toString());
        assertTrue(snapshots.get(snapshots.size() - 1).last());
      }
    }
  }
}
