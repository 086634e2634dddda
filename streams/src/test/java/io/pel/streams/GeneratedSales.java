package io.pel.streams;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Reproducible, skewed input for aggregation tests, and its single-threaded answer. */
final class GeneratedSales {

  /** One sale: who bought, for how much. */
  record Sale(String customer, long cents) {}

  private GeneratedSales() {}

  /**
   * {@code n} sales from {@code seed}: a quarter to one hot customer, the rest over about 20,000
   * customers with a heavy head (a few hundred of them get most of it) and a long tail.
   */
  static List<Sale> generate(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Sale> sales = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String customer = random.nextDouble() < 0.25 ? "hot" : "c" + (int) (Math.pow(random.nextDouble(), 3) * 20_000);
      sales.add(new Sale(customer, random.nextLong(1, 100_000)));
    }
    return sales;
  }

  /** Cents per customer, summed one sale after another on one thread. */
  static Map<String, Long> revenue(List<Sale> sales) {
    Map<String, Long> totals = new HashMap<>();
    for (Sale sale : sales) totals.merge(sale.customer(), sale.cents(), Long::sum);
    return totals;
  }

  /** Sales per customer, counted one after another on one thread. */
  static Map<String, Long> counts(List<Sale> sales) {
    Map<String, Long> counts = new HashMap<>();
    for (Sale sale : sales) counts.merge(sale.customer(), 1L, Long::sum);
    return counts;
  }
}
