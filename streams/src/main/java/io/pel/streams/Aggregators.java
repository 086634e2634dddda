package io.pel.streams;

import java.util.Comparator;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The common {@link Aggregator}s: counting, summing, min, max and averages. Their accumulators are small
 * mutable objects, changed in place (no boxing per element), and PEL registers them with Kryo, so they
 * cross the wire in a cluster without any setting. Sums of doubles are compensated (Neumaier's summation),
 * so the order in which batches arrive changes them far less than it would a plain sum.
 *
 * <pre>{@code
 * .groupingKey(Sale::customer).aggregate(Aggregators.summingLong(Sale::cents))
 * }</pre>
 */
public final class Aggregators {

  private Aggregators() {}

  /** Counts the elements. */
  public static <T> Aggregator<T, LongValue, Long> counting() {
    return new LongAggregator<>(t -> 1L);
  }

  /**
   * Sums {@code value} over the elements, wrapping on overflow as Java's {@code long} does.
   *
   * @throws NullPointerException if {@code value} is null
   */
  public static <T> Aggregator<T, LongValue, Long> summingLong(ToLongFunction<? super T> value) {
    return new LongAggregator<>(Objects.requireNonNull(value, "value"));
  }

  /**
   * Sums {@code value} over the elements, compensated.
   *
   * @throws NullPointerException if {@code value} is null
   */
  public static <T> Aggregator<T, DoubleSum, Double> summingDouble(ToDoubleFunction<? super T> value) {
    Objects.requireNonNull(value, "value");
    return new Aggregator<>() {
      @Override
      public DoubleSum create() {
        return new DoubleSum();
      }

      @Override
      public DoubleSum accumulate(DoubleSum sum, T element) {
        sum.add(value.applyAsDouble(element));
        return sum;
      }

      @Override
      public DoubleSum combine(DoubleSum left, DoubleSum right) {
        left.add(right);
        return left;
      }

      @Override
      public Double finish(DoubleSum sum) {
        return sum.value();
      }
    };
  }

  /**
   * The mean of {@code value} over the elements.
   *
   * @throws NullPointerException if {@code value} is null
   */
  public static <T> Aggregator<T, Average, Double> averagingLong(ToLongFunction<? super T> value) {
    Objects.requireNonNull(value, "value");
    return averaging(element -> (double) value.applyAsLong(element));
  }

  /**
   * The mean of {@code value} over the elements, from a compensated sum.
   *
   * @throws NullPointerException if {@code value} is null
   */
  public static <T> Aggregator<T, Average, Double> averagingDouble(ToDoubleFunction<? super T> value) {
    return averaging(Objects.requireNonNull(value, "value"));
  }

  private static <T> Aggregator<T, Average, Double> averaging(ToDoubleFunction<? super T> value) {
    return new Aggregator<>() {
      @Override
      public Average create() {
        return new Average();
      }

      @Override
      public Average accumulate(Average average, T element) {
        average.count++;
        average.sum.add(value.applyAsDouble(element));
        return average;
      }

      @Override
      public Average combine(Average left, Average right) {
        left.count += right.count;
        left.sum.add(right.sum);
        return left;
      }

      @Override
      public Double finish(Average average) {
        return average.value();
      }
    };
  }

  /**
   * The least element by {@code order}; of elements that compare equal, any one.
   *
   * @throws NullPointerException if {@code order} is null
   */
  public static <T> Aggregator<T, Extreme<T>, T> minBy(Comparator<? super T> order) {
    Objects.requireNonNull(order, "order");
    return extreme(order, -1);
  }

  /**
   * The greatest element by {@code order}; of elements that compare equal, any one.
   *
   * @throws NullPointerException if {@code order} is null
   */
  public static <T> Aggregator<T, Extreme<T>, T> maxBy(Comparator<? super T> order) {
    Objects.requireNonNull(order, "order");
    return extreme(order, 1);
  }

  /** Keeps the element whose comparison with the kept one has the sign {@code wanted}. */
  private static <T> Aggregator<T, Extreme<T>, T> extreme(Comparator<? super T> order, int wanted) {
    return new Aggregator<>() {
      @Override
      public Extreme<T> create() {
        return new Extreme<>();
      }

      @Override
      public Extreme<T> accumulate(Extreme<T> kept, T element) {
        Objects.requireNonNull(element, "element");
        if (kept.value == null || Integer.signum(order.compare(element, kept.value)) == wanted) kept.value = element;
        return kept;
      }

      @Override
      public Extreme<T> combine(Extreme<T> left, Extreme<T> right) {
        return right.value == null ? left : accumulate(left, right.value);
      }

      @Override
      public T finish(Extreme<T> kept) {
        if (kept.value == null) throw new IllegalStateException("no element was accumulated");
        return kept.value;
      }
    };
  }

  /** Counting and {@code summingLong}: one {@code long} per key, added to in place. */
  private static final class LongAggregator<T> implements Aggregator<T, LongValue, Long> {
    private final ToLongFunction<? super T> value;

    LongAggregator(ToLongFunction<? super T> value) {
      this.value = value;
    }

    @Override
    public LongValue create() {
      return new LongValue();
    }

    @Override
    public LongValue accumulate(LongValue sum, T element) {
      sum.value += value.applyAsLong(element);
      return sum;
    }

    @Override
    public LongValue combine(LongValue left, LongValue right) {
      left.value += right.value;
      return left;
    }

    @Override
    public Long finish(LongValue sum) {
      return sum.value;
    }
  }

  /** The accumulator of {@link #counting} and {@link #summingLong}: a mutable {@code long}. */
  public static final class LongValue {
    private long value;

    /** Zero. */
    public LongValue() {}

    /** The sum so far. */
    public long value() {
      return value;
    }

    @Override
    public String toString() {
      return Long.toString(value);
    }
  }

  /** The accumulator of {@link #summingDouble}: a compensated sum (Neumaier's variant of Kahan's). */
  public static final class DoubleSum {
    private double sum;
    private double compensation;
    /** The plain sum too, so that infinities and NaN come out as a plain sum gives them. */
    private double simple;

    /** Zero. */
    public DoubleSum() {}

    void add(double x) {
      simple += x;
      compensated(x);
    }

    void add(DoubleSum other) {
      simple += other.simple;
      compensated(other.sum);
      compensated(other.compensation);
    }

    private void compensated(double x) {
      double t = sum + x;
      compensation += Math.abs(sum) >= Math.abs(x) ? (sum - t) + x : (x - t) + sum;
      sum = t;
    }

    /** The sum so far. */
    public double value() {
      double total = sum + compensation;
      return Double.isNaN(total) && Double.isInfinite(simple) ? simple : total;
    }

    @Override
    public String toString() {
      return Double.toString(value());
    }
  }

  /** The accumulator of the averages: a count and a compensated sum. */
  public static final class Average {
    private long count;
    private final DoubleSum sum = new DoubleSum();

    /** No elements. */
    public Average() {}

    /** The mean so far; NaN before any element. */
    public double value() {
      return count == 0 ? Double.NaN : sum.value() / count;
    }

    @Override
    public String toString() {
      return value() + " over " + count;
    }
  }

  /** The accumulator of {@link #minBy} and {@link #maxBy}: the element kept so far, {@code null} before any. */
  public static final class Extreme<T> {
    private T value;

    /** No element. */
    public Extreme() {}

    /** The element kept so far, or {@code null}. */
    public T value() {
      return value;
    }

    @Override
    public String toString() {
      return String.valueOf(value);
    }
  }
}
