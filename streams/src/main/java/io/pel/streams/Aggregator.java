package io.pel.streams;

import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How one key's elements become one result: an accumulator made by {@link #create}, each element folded in
 * by {@link #accumulate}, accumulators of the same key combined by {@link #combine}, and the result read by
 * {@link #finish}. {@link Aggregators} has the common ones (counting, sums, min, max, averages); implement
 * this, or use {@link #of}, for your own.
 *
 * <p>Where each runs, in a {@link KeyedAggregation}: {@code create} and {@code accumulate} on the routee
 * that combines a batch of elements (the map-side combine), {@code combine} on the routee that owns the
 * key's partition, folding each batch's accumulator into the key's total, and {@code finish} there too, when
 * the partition is read back. All four run on PEL's workers, on every node, concurrently for different
 * batches and partitions; one accumulator is only ever touched by one thread at a time.
 *
 * <p>The rules:
 *
 * <ul>
 *   <li>{@code create}, {@code accumulate} and {@code combine} never return {@code null}.
 *   <li>{@code accumulate(a, t)} may change {@code a} and return it (the fast way), or return a new one.
 *   <li>{@code combine(left, right)} may change {@code left} and return it, or return a new one; it must
 *       not change {@code right}. It must be associative and commutative: batches reach a partition in any
 *       order.
 *   <li>{@code finish(a)} must return a value that later calls do not change: the accumulator goes on
 *       taking batches after a snapshot was read. Return a new object, or {@code a} itself only if it is
 *       immutable.
 *   <li>An exception from any of them fails the stream, naming the aggregation and what threw, and the
 *       run's state is discarded; it is not retried, since the same input would throw again.
 *   <li>In a cluster, accumulators and results cross the wire: their classes must be registered with Kryo
 *       ({@code pel.serialization.classes} or a {@link io.pel.cluster.KryoRegistrar}). {@link Aggregators}'
 *       accumulators already are.
 * </ul>
 *
 * @param <T> the elements folded in
 * @param <A> the accumulator
 * @param <R> the result
 */
public interface Aggregator<T, A, R> {

  /** A new, empty accumulator. */
  A create();

  /** Folds {@code element} into {@code accumulator}; returns the accumulator to keep. */
  A accumulate(A accumulator, T element);

  /** Folds {@code right} into {@code left}; returns the accumulator to keep. */
  A combine(A left, A right);

  /** The result of {@code accumulator}. */
  R finish(A accumulator);

  /**
   * An aggregator from four functions.
   *
   * @throws NullPointerException if a function is null
   */
  static <T, A, R> Aggregator<T, A, R> of(Supplier<? extends A> create, BiFunction<A, ? super T, A> accumulate,
      BinaryOperator<A> combine, Function<? super A, ? extends R> finish) {
    Objects.requireNonNull(create, "create");
    Objects.requireNonNull(accumulate, "accumulate");
    Objects.requireNonNull(combine, "combine");
    Objects.requireNonNull(finish, "finish");
    return new Aggregator<>() {
      @Override
      public A create() {
        return create.get();
      }

      @Override
      public A accumulate(A accumulator, T element) {
        return accumulate.apply(accumulator, element);
      }

      @Override
      public A combine(A left, A right) {
        return combine.apply(left, right);
      }

      @Override
      public R finish(A accumulator) {
        return finish.apply(accumulator);
      }
    };
  }

  /**
   * An aggregator whose result is its accumulator, which must then be immutable ({@code accumulate} and
   * {@code combine} return new values): {@code Aggregator.of(() -> 0L, (n, sale) -> n + sale.cents(), Long::sum)}.
   *
   * @throws NullPointerException if a function is null
   */
  static <T, A> Aggregator<T, A, A> of(Supplier<? extends A> create, BiFunction<A, ? super T, A> accumulate,
      BinaryOperator<A> combine) {
    return of(create, accumulate, combine, Function.identity());
  }
}
