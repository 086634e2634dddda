package io.pel.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.Layers;
import io.pel.actors.Stats;
import io.pel.actors.TaskFailedException;
import io.pel.actors.UnknownTaskTypeException;
import io.pel.streams.GeneratedSales.Sale;
import io.pel.streams.internal.PartitionStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.testkit.TestPublisher;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.stream.testkit.javadsl.TestSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** A keyed aggregation fails loudly rather than answer wrongly, refuses bad settings, and cleans up. */
class KeyedAggregationFailureTest {

  private static final String LAYER = """
      pel.workers-per-node = 4
      pekko.test.single-expect-default = 20s
      """;

  private static KeyedAggregation<Sale, String, Long> counting(String name) {
    return KeyedAggregation.named(name, Sale.class).groupingKey(Sale::customer).aggregate(Aggregators.counting())
        .withPartitions(8).withBatch(50);
  }

  private static <T, O> Pair<TestPublisher.Probe<T>, TestSubscriber.Probe<O>> probe(
      ExecutionLayer layer, org.apache.pekko.stream.javadsl.Flow<T, O, ?> flow) {
    return TestSource.<T>create(layer.system()).via(flow).toMat(TestSink.<O>create(layer.system()), Keep.both())
        .run(layer.system());
  }

  @Test
  void lostPartitionStateFailsTheStreamNamingTheAggregationPartitionAndCounts() throws Exception {
    List<Sale> sales = GeneratedSales.generate(1_000, 17);
    KeyedAggregation<Sale, String, Long> lossy = counting("lossy");
    try (ExecutionLayer layer = Layers.start(LAYER)) {
      PartitionStore store = lossy.registerStore(layer);
      var probes = probe(layer, lossy.snapshots(layer, Duration.ofMillis(10)));
      for (Sale sale : sales) probes.first().sendNext(sale);
      Map<String, Long> view = new HashMap<>();
      Map<String, Long> expected = GeneratedSales.counts(sales);
      while (!view.equals(expected)) view.putAll(probes.second().requestNext().changed());

      // The node holding the partitions loses them, as when it leaves the cluster.
      for (String run : store.runs()) {
        for (int p = 0; p < lossy.partitions(); p++) store.handle(new PartitionStore.Discard(run, p), null);
      }
      probes.first().sendComplete();

      Throwable error = probes.second().request(1).expectError();
      AggregationStateLostException lost = assertInstanceOf(AggregationStateLostException.class, error);
      assertEquals("lossy", lost.aggregation());
      assertTrue(lost.sent() > lost.applied(), lost.getMessage());
      assertTrue(lost.getMessage().startsWith("keyed aggregation 'lossy' lost state of partition " + lost.partition()
          + ": " + lost.sent() + " merges were acknowledged but the partition holds " + lost.applied()), lost.getMessage());
    }
  }

  @Test
  void aThrowingCombineFailsTheStreamOnceNamingTheAggregatorAndTheKeyAndDiscardsTheRun() throws Exception {
    KeyedAggregation<String, String, Long> refusing = KeyedAggregation.named("refusing", String.class)
        .groupingKey(s -> s)
        .aggregate(Aggregator.of(() -> 0L, (Long n, String s) -> n + 1, (Long a, Long b) -> {
          throw new ArithmeticException("refusing to merge " + a + " and " + b);
        }))
        .withPartitions(4).withBatch(1).withParallelism(1);
    try (ExecutionLayer layer = Layers.start(LAYER + "pel.retry.max-attempts = 3")) {
      PartitionStore store = refusing.registerStore(layer);
      ExecutionException e = assertThrows(ExecutionException.class, () -> Layers.await(
          Source.from(List.of("a", "b", "a")).via(refusing.flow(layer)).runWith(Sink.seq(), layer.system())));
      TaskFailedException failed = assertInstanceOf(TaskFailedException.class, e.getCause());
      assertEquals("pel.aggregate.refusing", failed.taskType());
      assertEquals(1, failed.attempts(), "the same merge would throw again: not retried");
      assertTrue(failed.getMessage().contains("keyed aggregation 'refusing': the aggregator's combine threw for key a: "
          + "java.lang.ArithmeticException: refusing to merge 1 and 1"), failed.getMessage());
      Layers.await(Stats.until(() -> store.runs().isEmpty()));
      assertLayerGoesOn(layer);
    }
  }

  @Test
  void aNullKeyFailsTheStreamNamingTheElementAndDiscardsTheRun() throws Exception {
    KeyedAggregation<Sale, String, Long> keyed = KeyedAggregation.named("nullable", Sale.class)
        .groupingKey((Sale sale) -> sale.cents() < 0 ? null : sale.customer())
        .aggregate(Aggregators.counting())
        .withBatch(10);
    List<Sale> sales = new ArrayList<>(GeneratedSales.generate(500, 1));
    sales.add(new Sale("nobody", -1));
    try (ExecutionLayer layer = Layers.start(LAYER)) {
      PartitionStore store = keyed.registerStore(layer);
      var probes = probe(layer, keyed.flow(layer));
      for (Sale sale : sales.subList(0, 500)) probes.first().sendNext(sale);
      Layers.await(Stats.until(() -> !store.runs().isEmpty()));
      probes.first().sendNext(sales.get(500));
      TaskFailedException failed = assertInstanceOf(TaskFailedException.class, probes.second().request(1).expectError());
      assertEquals("pel.combine.nullable", failed.taskType());
      assertTrue(failed.getMessage().contains(
          "keyed aggregation 'nullable': the grouping key function returned null for element Sale[customer=nobody, cents=-1]"),
          failed.getMessage());
      Layers.await(Stats.until(() -> store.runs().isEmpty()));
      assertLayerGoesOn(layer);
    }
  }

  @Test
  void everyUserFunctionThatThrowsOrReturnsNullIsNamedInTheFailure() throws Exception {
    try (ExecutionLayer layer = Layers.start(LAYER + "pel.retry.max-attempts = 3")) {
      Map<String, KeyedAggregation<String, String, Long>> cases = new java.util.LinkedHashMap<>();
      cases.put("the map function returned null for element b",
          KeyedAggregation.named("map-null", String.class).map(s -> s.equals("b") ? null : s)
              .groupingKey(s -> s).aggregate(Aggregators.counting()));
      cases.put("the flatMap function gave a null element for element b",
          KeyedAggregation.named("flat-map-null", String.class).flatMap(s -> Arrays.asList(s, s.equals("b") ? null : s))
              .groupingKey(s -> s).aggregate(Aggregators.counting()));
      cases.put("the filter predicate threw on element b: java.lang.IllegalStateException: no b",
          KeyedAggregation.named("filter-throws", String.class).filter(s -> {
            if (s.equals("b")) throw new IllegalStateException("no b");
            return true;
          }).groupingKey(s -> s).aggregate(Aggregators.counting()));
      cases.put("the aggregator's accumulate threw on element b: java.lang.IllegalArgumentException: bad b",
          KeyedAggregation.named("accumulate-throws", String.class).groupingKey(s -> s)
              .aggregate(Aggregator.of(() -> 0L, (Long n, String s) -> {
                if (s.equals("b")) throw new IllegalArgumentException("bad b");
                return n + 1;
              }, Long::sum)));
      cases.put("the aggregator's create returned null",
          KeyedAggregation.named("create-null", String.class).groupingKey(s -> s)
              .aggregate(Aggregator.of(() -> null, (Long n, String s) -> n + 1, Long::sum)));
      cases.put("the aggregator's finish threw for key a: java.lang.UnsupportedOperationException: no result",
          KeyedAggregation.named("finish-throws", String.class).groupingKey(s -> s)
              .aggregate(Aggregator.of(() -> 0L, (Long n, String s) -> n + 1, Long::sum, n -> {
                throw new UnsupportedOperationException("no result");
              })));
      for (Map.Entry<String, KeyedAggregation<String, String, Long>> c : cases.entrySet()) {
        KeyedAggregation<String, String, Long> aggregation = c.getValue().withPartitions(1).register(layer);
        ExecutionException e = assertThrows(ExecutionException.class, () -> Layers.await(
            Source.from(List.of("a", "b", "a")).via(aggregation.flow(layer)).runWith(Sink.seq(), layer.system())), c.getKey());
        TaskFailedException failed = assertInstanceOf(TaskFailedException.class, e.getCause(), c.getKey());
        assertEquals(1, failed.attempts(), failed.getMessage());
        assertTrue(failed.getMessage().contains("keyed aggregation '" + aggregation.name() + "': " + c.getKey()), failed.getMessage());
      }
      assertLayerGoesOn(layer);
    }
  }

  /** After a failed run, the layer still aggregates correctly. */
  private static void assertLayerGoesOn(ExecutionLayer layer) throws Exception {
    KeyedAggregation<Sale, String, Long> after = counting("after-" + java.util.UUID.randomUUID()).register(layer);
    List<Sale> sales = GeneratedSales.generate(2_000, 3);
    assertEquals(GeneratedSales.counts(sales),
        Layers.await(Source.from(sales).via(after.flow(layer)).runWith(KeyedAggregate.toMap(), layer.system())));
  }

  @Test
  void cancellingOrFailingTheStreamDiscardsTheRunsState() throws Exception {
    List<Sale> sales = GeneratedSales.generate(300, 23);
    KeyedAggregation<Sale, String, Long> counts = counting("cancelled");
    try (ExecutionLayer layer = Layers.start(LAYER)) {
      PartitionStore store = counts.registerStore(layer);

      var cancelled = probe(layer, counts.flow(layer));
      for (Sale sale : sales) cancelled.first().sendNext(sale);
      Layers.await(Stats.until(() -> !store.runs().isEmpty()));
      cancelled.second().cancel();
      cancelled.first().expectCancellation();
      Layers.await(Stats.until(() -> store.runs().isEmpty()));

      var failed = probe(layer, counts.snapshots(layer, Duration.ofSeconds(30)));
      for (Sale sale : sales) failed.first().sendNext(sale);
      Layers.await(Stats.until(() -> !store.runs().isEmpty()));
      IllegalStateException boom = new IllegalStateException("upstream broke");
      failed.first().sendError(boom);
      assertEquals(boom, failed.second().request(1).expectError());
      Layers.await(Stats.until(() -> store.runs().isEmpty()));
    }
  }

  @Test
  void anAggregationRunsOnlyWhereItIsRegisteredAndOnlyOnce() throws Exception {
    try (ExecutionLayer layer = Layers.start(LAYER)) {
      KeyedAggregation<Sale, String, Long> twice = counting("twice").register(layer);
      IllegalStateException again = assertThrows(IllegalStateException.class, () -> twice.register(layer));
      assertTrue(again.getMessage().contains("'pel.combine.twice'"), again.getMessage());

      KeyedAggregation<Sale, String, Long> unregistered = counting("unregistered");
      ExecutionException e = assertThrows(ExecutionException.class, () -> Layers.await(
          Source.from(GeneratedSales.generate(10, 1)).via(unregistered.flow(layer)).runWith(Sink.seq(), layer.system())));
      UnknownTaskTypeException unknown = assertInstanceOf(UnknownTaskTypeException.class, e.getCause());
      assertEquals("pel.combine.unregistered", unknown.taskType());

      refused(IllegalArgumentException.class, "snapshot interval must be positive, was PT0S",
          () -> twice.snapshots(layer, Duration.ZERO));
      refused(NullPointerException.class, "interval", () -> twice.snapshots(layer, null));
      refused(NullPointerException.class, "layer", () -> twice.flow(null));
    }
  }

  @Test
  void badSettingsAreRefusedNamingTheSettingAndTheValue() {
    KeyedAggregation<Sale, String, Long> ok = counting("ok");
    refused(IllegalArgumentException.class, "aggregation name is empty", () -> counting(""));
    refused(IllegalArgumentException.class, "aggregation name 'word count' is not valid as part of its task type name: "
        + "task type name 'pel.aggregate.word count' is not valid: use 1-200 letters, digits or . _ - : /",
        () -> counting("word count"));
    refused(IllegalArgumentException.class, null, () -> counting("x".repeat(190)));
    refused(NullPointerException.class, "name", () -> counting(null));
    refused(NullPointerException.class, "elements", () -> KeyedAggregation.named("m", (Class<Sale>) null));
    refused(NullPointerException.class, "key", () -> KeyedAggregation.named("m", Sale.class).groupingKey(null));
    refused(NullPointerException.class, "aggregator",
        () -> KeyedAggregation.named("m", Sale.class).groupingKey(Sale::customer).aggregate(null));
    refused(NullPointerException.class, "fn", () -> KeyedAggregation.named("m", Sale.class).map(null));
    refused(NullPointerException.class, "combine", () -> Aggregator.of(() -> 0L, (Long n, Sale s) -> n, null));
    refused(NullPointerException.class, "order", () -> Aggregators.minBy(null));
    refused(IllegalArgumentException.class, "partitions must be between 1 and 65536, was 0", () -> ok.withPartitions(0));
    refused(IllegalArgumentException.class, "partitions must be between 1 and 65536, was 70000",
        () -> ok.withPartitions(70_000));
    refused(IllegalArgumentException.class, "batch size must be between 1 and 1048576, was 0", () -> ok.withBatch(0));
    refused(IllegalArgumentException.class, "batch size must be between 1 and 1048576, was 2000000", () -> ok.withBatch(2_000_000));
    refused(IllegalArgumentException.class, "parallelism must be at least 1, was 0", () -> ok.withParallelism(0));
    assertEquals("KeyedAggregation[ok, partitions=8, batch=at most 50, parallelism=two per routee]", ok.toString());
  }

  private static void refused(Class<? extends Throwable> type, String message, Executable action) {
    Throwable thrown = assertThrows(type, action);
    if (message != null) assertEquals(message, thrown.getMessage());
  }
}
