package io.pel.streams.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * The map-side combiner: folds elements into one accumulator per key for the current batch, kept by
 * partition from the start, then hands the batch over as it stands. A hot key costs one entry per batch
 * however many of its elements the batch holds. Not thread-safe: owned by one stage or one task.
 */
public final class CombineBuffer<T, K, A> {

  private final AggregationSpec<T, K, A> spec;
  private HashMap<Object, Object>[] parts;
  private int elements;

  public CombineBuffer(AggregationSpec<T, K, A> spec) {
    this.spec = spec;
    this.parts = newParts(spec.partitions());
  }

  /**
   * Folds {@code element} into its key's accumulator.
   *
   * @throws NullPointerException naming the aggregation and the function that returned null
   */
  @SuppressWarnings("unchecked")
  public void add(T element) {
    K key = spec.key().apply(element);
    if (key == null) {
      throw new NullPointerException("the key function of keyed aggregation '" + spec.name()
          + "' returned null for element " + abbreviate(element));
    }
    int p = partitionOf(key, parts.length);
    HashMap<Object, Object> part = parts[p];
    if (part == null) parts[p] = part = new HashMap<>();
    A accumulator = (A) part.get(key);
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
    part.put(key, next);
    elements++;
  }

  /** Elements folded into the current batch. */
  public int elements() {
    return elements;
  }

  public boolean isEmpty() {
    return elements == 0;
  }

  /**
   * Ends the current batch: its entries by partition ({@code null} where a partition got none), ready
   * to ship. A new, empty batch begins.
   */
  public Map<Object, Object>[] split() {
    Map<Object, Object>[] batch = parts;
    parts = newParts(batch.length);
    elements = 0;
    return batch;
  }

  /**
   * The entries of {@code aggregates} by partition, {@code null} where a partition gets none.
   *
   * @throws NullPointerException naming the aggregation if a key or an aggregate is null
   */
  public static Map<Object, Object>[] split(Map<?, ?> aggregates, int partitions, String aggregation) {
    HashMap<Object, Object>[] parts = newParts(partitions);
    int expectedPerPartition = Math.max(4, aggregates.size() * 2 / partitions);
    for (Map.Entry<?, ?> entry : aggregates.entrySet()) {
      Object key = entry.getKey();
      if (key == null || entry.getValue() == null) {
        throw new NullPointerException("partials for keyed aggregation '" + aggregation + "' hold a null "
            + (key == null ? "key" : "aggregate for key " + abbreviate(key)));
      }
      int p = partitionOf(key, partitions);
      if (parts[p] == null) parts[p] = new HashMap<>(expectedPerPartition);
      parts[p].put(key, entry.getValue());
    }
    return parts;
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

  private static String abbreviate(Object value) {
    String text = String.valueOf(value);
    return text.length() <= 100 ? text : text.substring(0, 100) + "...";
  }
}
