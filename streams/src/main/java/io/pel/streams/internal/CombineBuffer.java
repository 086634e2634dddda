package io.pel.streams.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * The map-side combiner: folds elements into one accumulator per key for the current batch, then hands
 * the batch over split by partition. A hot key costs one entry per batch however many of its elements the
 * batch holds. Not thread-safe: owned by one stage.
 */
final class CombineBuffer<T, K, A> {

  private final AggregationSpec<T, K, A> spec;
  private HashMap<K, A> batch = new HashMap<>();
  private int elements;

  CombineBuffer(AggregationSpec<T, K, A> spec) {
    this.spec = spec;
  }

  /**
   * Folds {@code element} into its key's accumulator.
   *
   * @throws NullPointerException naming the aggregation and the function that returned null
   */
  void add(T element) {
    K key = spec.key().apply(element);
    if (key == null) {
      throw new NullPointerException("the key function of keyed aggregation '" + spec.name()
          + "' returned null for element " + abbreviate(element));
    }
    A accumulator = batch.get(key);
    if (accumulator == null) {
      accumulator = spec.zero().get();
      if (accumulator == null) {
        throw new NullPointerException("the zero supplier of keyed aggregation '" + spec.name() + "' returned null");
      }
    }
    A next = spec.add().apply(accumulator, element);
    if (next == null) {
      throw new NullPointerException("the add function of keyed aggregation '" + spec.name()
          + "' returned null for key " + abbreviate(key));
    }
    batch.put(key, next);
    elements++;
  }

  /** Elements folded into the current batch. */
  int elements() {
    return elements;
  }

  boolean isEmpty() {
    return elements == 0;
  }

  /**
   * Ends the current batch: its entries by partition ({@code null} where a partition got none), ready
   * to ship. A new, empty batch begins.
   */
  @SuppressWarnings("unchecked")
  Map<Object, Object>[] split() {
    int partitions = spec.partitions();
    HashMap<Object, Object>[] parts = new HashMap[partitions];
    int expectedPerPartition = Math.max(4, batch.size() * 2 / partitions);
    for (Map.Entry<K, A> entry : batch.entrySet()) {
      int p = partitionOf(entry.getKey(), partitions);
      if (parts[p] == null) parts[p] = new HashMap<>(expectedPerPartition);
      parts[p].put(entry.getKey(), entry.getValue());
    }
    batch = new HashMap<>();
    elements = 0;
    return parts;
  }

  /**
   * The partition of {@code key}: its hash code spread by the MurmurHash3 finaliser, so keys whose hash
   * codes differ only in high bits (or are multiples of the partition count) still spread. Computed only
   * by the stage, so hash codes need not agree between JVMs.
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

  private static String abbreviate(Object value) {
    String text = String.valueOf(value);
    return text.length() <= 100 ? text : text.substring(0, 100) + "...";
  }
}
