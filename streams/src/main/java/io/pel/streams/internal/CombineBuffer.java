package io.pel.streams.internal;

import io.pel.actors.NonRetryableException;
import io.pel.actors.TaskHandler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The map-side combine, run on a routee for one batch of a stream's elements: each element goes through
 * the pipeline's steps, and whatever comes out is keyed and folded into one accumulator per key, kept by
 * partition from the start. A hot key costs one entry per batch however many of its elements the batch
 * holds. Not thread-safe: one per combining task.
 */
public final class CombineBuffer {

  private final AggregationSpec<?, ?, ?> spec;
  private final Consumer<Object> head;
  private HashMap<Object, Object>[] parts;
  /** Capacity a partition's map starts with: growing a large map step by step costs a rehash per doubling. */
  private final int initialCapacity;

  public CombineBuffer(AggregationSpec<?, ?, ?> spec) {
    this(spec, 16);
  }

  private CombineBuffer(AggregationSpec<?, ?, ?> spec, int initialCapacity) {
    this.spec = spec;
    this.initialCapacity = initialCapacity;
    this.parts = newParts(spec.partitions());
    Consumer<Object> chain = this::fold;
    List<AggregationSpec.Step> steps = spec.steps();
    for (int i = steps.size() - 1; i >= 0; i--) chain = link(steps.get(i), chain);
    this.head = chain;
  }

  /**
   * The handler of the aggregation's combining task type: one batch in, its partials out. It learns, from
   * the batches it combined, how many keys a partition gets per element, and sizes the next batch's maps
   * from that (a hint shared by the node's routees, read and written without locks: a stale value only
   * costs a rehash).
   */
  public static TaskHandler<List<Object>, PartitionStore.Partials> handler(AggregationSpec<?, ?, ?> spec) {
    float[] keysPerElement = {0f};
    return (elements, context) -> {
      int expected = (int) Math.min(1 << 20, elements.size() * keysPerElement[0]);
      long started = System.nanoTime();
      CombineBuffer buffer = new CombineBuffer(spec, Math.max(16, (int) (expected / 0.75f) + 1));
      for (Object element : elements) buffer.add(element);
      Map<Object, Object>[] parts = buffer.split();
      int largest = 0;
      for (Map<Object, Object> part : parts) {
        if (part != null) largest = Math.max(largest, part.size());
      }
      if (!elements.isEmpty()) keysPerElement[0] = (float) largest / elements.size();
      long nanos = System.nanoTime() - started;
      return new PartitionStore.Partials(new ArrayList<>(Arrays.asList(parts)), nanos);
    };
  }

  private Consumer<Object> link(AggregationSpec.Step step, Consumer<Object> next) {
    return element -> {
      try {
        step.apply(element, next);
      } catch (AggregationFunctionException e) {
        throw e;
      } catch (AggregationSpec.NullOutput e) {
        throw new AggregationFunctionException(spec.name(), step.what() + " " + e.getMessage() + " for element " + abbreviate(element), null);
      } catch (RuntimeException e) {
        throw new AggregationFunctionException(spec.name(), step.what() + " threw on element " + abbreviate(element), e);
      }
    };
  }

  /**
   * Runs {@code element} through the steps and folds what comes out.
   *
   * @throws NonRetryableException naming the aggregation, the function that threw or returned null, and the element
   */
  public void add(Object element) {
    head.accept(element);
  }

  private void fold(Object element) {
    Object key;
    try {
      key = spec.key().apply(element);
    } catch (RuntimeException e) {
      throw new AggregationFunctionException(spec.name(), "the grouping key function threw on element " + abbreviate(element), e);
    }
    if (key == null) {
      throw new AggregationFunctionException(spec.name(), "the grouping key function returned null for element " + abbreviate(element), null);
    }
    int p = partitionOf(key, parts.length);
    HashMap<Object, Object> part = parts[p];
    if (part == null) parts[p] = part = new HashMap<>(initialCapacity);
    Object accumulator = part.get(key);
    boolean fresh = accumulator == null;
    if (fresh) accumulator = create();
    Object next;
    try {
      next = spec.aggregator().accumulate(accumulator, element);
    } catch (RuntimeException e) {
      throw new AggregationFunctionException(spec.name(), "the aggregator's accumulate threw on element " + abbreviate(element), e);
    }
    if (next == null) {
      throw new AggregationFunctionException(spec.name(), "the aggregator's accumulate returned null for key " + abbreviate(key), null);
    }
    if (fresh || next != accumulator) part.put(key, next);
  }

  private Object create() {
    Object accumulator;
    try {
      accumulator = spec.aggregator().create();
    } catch (RuntimeException e) {
      throw new AggregationFunctionException(spec.name(), "the aggregator's create threw", e);
    }
    if (accumulator == null) throw new AggregationFunctionException(spec.name(), "the aggregator's create returned null", null);
    return accumulator;
  }

  /**
   * Ends the batch: its entries by partition ({@code null} where a partition got none), ready to ship. A
   * new, empty batch begins.
   */
  public Map<Object, Object>[] split() {
    Map<Object, Object>[] batch = parts;
    parts = newParts(batch.length);
    return batch;
  }

  @SuppressWarnings("unchecked")
  private static HashMap<Object, Object>[] newParts(int partitions) {
    return new HashMap[partitions];
  }

  /**
   * The partition of {@code key}: its hash code spread by the MurmurHash3 finaliser, so keys whose hash
   * codes differ only in high bits (or are multiples of the partition count) still spread. Computed only
   * where elements are combined, never compared between JVMs, so hash codes need not agree between JVMs.
   */
  static int partitionOf(Object key, int partitions) {
    int h = key.hashCode();
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return Math.floorMod(h, partitions);
  }

  static String abbreviate(Object value) {
    String text = String.valueOf(value);
    return text.length() <= 100 ? text : text.substring(0, 100) + "...";
  }

  /** A user function of the aggregation failed: the same input would fail again, so it is not retried. */
  static final class AggregationFunctionException extends NonRetryableException {
    AggregationFunctionException(String aggregation, String what, Throwable cause) {
      super("keyed aggregation '" + aggregation + "': " + what + (cause == null ? "" : ": " + cause), cause);
    }
  }
}
