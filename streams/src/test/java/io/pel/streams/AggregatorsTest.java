package io.pel.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.Layers;
import io.pel.streams.GeneratedSales.Sale;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every built-in aggregator, and the pipeline's steps, give what a single-threaded fold gives, with every
 * combine, merge and drain serialized as if it crossed the wire.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AggregatorsTest {

  private static final String LAYER = """
      pekko.actor.serialize-messages = on
      pel.workers-per-node = 3
      pel.serialization.classes = ["io.pel.streams.GeneratedSales$Sale"]
      """;

  private final List<Sale> sales = GeneratedSales.generate(30_000, 99);
  private ExecutionLayer layer;

  @BeforeAll
  void start() {
    layer = Layers.start(LAYER);
  }

  @AfterAll
  void stop() {
    layer.close();
  }

  /** Runs {@code aggregator} over the sales by customer on the layer. */
  private <R> Map<String, R> byCustomer(String name, Aggregator<? super Sale, ?, R> aggregator) throws Exception {
    KeyedAggregation<Sale, String, R> aggregation = KeyedAggregation.named(name, Sale.class)
        .groupingKey(Sale::customer).aggregate(aggregator).withPartitions(7).register(layer);
    return Layers.await(Source.from(sales).via(aggregation.flow(layer)).runWith(KeyedAggregate.toMap(), layer.system()));
  }

  /** The single-threaded answer: {@code fold} over each customer's sales, in order. */
  private <R> Map<String, R> fold(Function<List<Sale>, R> fold) {
    return sales.stream().collect(Collectors.groupingBy(Sale::customer)).entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> fold.apply(e.getValue())));
  }

  @Test
  void countingAndSummingLongAreExact() throws Exception {
    assertEquals(fold(list -> (long) list.size()), byCustomer("counting", Aggregators.counting()));
    assertEquals(fold(list -> list.stream().mapToLong(Sale::cents).sum()), byCustomer("summing-long", Aggregators.summingLong(Sale::cents)));
  }

  @Test
  void minByAndMaxByKeepTheExtremeElement() throws Exception {
    Comparator<Sale> byCents = Comparator.comparingLong(Sale::cents);
    // Two sales may tie at the extreme and either may be kept: what is unique is the extreme's cents.
    assertEquals(fold(list -> list.stream().min(byCents).orElseThrow().cents()),
        cents(byCustomer("min-by", Aggregators.minBy(byCents))));
    assertEquals(fold(list -> list.stream().max(byCents).orElseThrow().cents()),
        cents(byCustomer("max-by", Aggregators.maxBy(byCents))));
  }

  private static Map<String, Long> cents(Map<String, Sale> sales) {
    Map<String, Long> cents = new HashMap<>();
    sales.forEach((customer, sale) -> cents.put(customer, sale.cents()));
    return cents;
  }

  @Test
  void doubleSumsAndAveragesAgreeWithTheFoldToTheLastBits() throws Exception {
    assertClose(fold(list -> list.stream().mapToDouble(s -> s.cents() / 7.0).sum()),
        byCustomer("summing-double", Aggregators.summingDouble((Sale s) -> s.cents() / 7.0)));
    assertClose(fold(list -> list.stream().mapToLong(Sale::cents).average().orElseThrow()),
        byCustomer("averaging-long", Aggregators.averagingLong(Sale::cents)));
    assertClose(fold(list -> list.stream().mapToDouble(s -> s.cents() / 3.0).average().orElseThrow()),
        byCustomer("averaging-double", Aggregators.averagingDouble((Sale s) -> s.cents() / 3.0)));
  }

  /** Same keys, and each value within a few ulps: compensated sums in another order differ by rounding at most. */
  private static void assertClose(Map<String, Double> expected, Map<String, Double> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((key, value) -> assertEquals(value, actual.get(key), 4 * Math.ulp(value), key));
  }

  @Test
  void aCompensatedSumDoesNotLoseSmallTermsAsAPlainSumDoes() {
    Aggregator<Double, Aggregators.DoubleSum, Double> sum = Aggregators.summingDouble((Double d) -> d);
    Aggregators.DoubleSum left = sum.accumulate(sum.create(), 1e16);
    Aggregators.DoubleSum right = sum.create();
    for (int i = 0; i < 1000; i++) right = sum.accumulate(right, 1.0);
    assertEquals(1e16 + 1000, sum.finish(sum.combine(left, right)));
    Aggregators.DoubleSum infinite = sum.accumulate(sum.create(), Double.POSITIVE_INFINITY);
    assertEquals(Double.POSITIVE_INFINITY, sum.finish(sum.combine(infinite, sum.accumulate(sum.create(), 1.0))));
  }

  @Test
  void mapFlatMapMapMultiAndFilterRunBeforeGrouping() throws Exception {
    List<String> lines = sales.stream().map(s -> s.customer() + " " + s.cents() + " " + s.customer()).toList();
    Map<String, Long> expected = new HashMap<>();
    for (String line : lines) {
      for (String word : line.split(" ")) {
        if (!Character.isDigit(word.charAt(0))) expected.merge(word.toUpperCase(), 1L, Long::sum);
      }
    }
    KeyedAggregation<String, String, Long> viaFlatMap = KeyedAggregation.named("words-flat-map", String.class)
        .flatMap(line -> Arrays.asList(line.split(" ")))
        .filter(word -> !Character.isDigit(word.charAt(0)))
        .map(String::toUpperCase)
        .groupingKey(word -> word)
        .aggregate(Aggregators.counting())
        .register(layer);
    KeyedAggregation<String, String, Long> viaMapMulti = KeyedAggregation.named("words-map-multi", String.class)
        .<String>mapMulti((line, words) -> { for (String w : line.split(" ")) words.accept(w); })
        .filter(word -> !Character.isDigit(word.charAt(0)))
        .groupingKey(String::toUpperCase)
        .aggregate(Aggregators.counting())
        .register(layer);
    for (KeyedAggregation<String, String, Long> words : List.of(viaFlatMap, viaMapMulti)) {
      Map<String, Long> counted = Layers.await(Source.from(lines).via(words.flow(layer)).runWith(KeyedAggregate.toMap(), layer.system()));
      assertEquals(expected, counted, words.name());
    }
    assertTrue(expected.get("HOT") > 10_000, "the hot key is hot: " + expected.get("HOT"));
  }
}
