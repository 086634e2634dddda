package io.pel.actors.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Messages for other nodes held per destination so that those ready at one moment leave together: an
 * actor adds to it while it handles its mailbox and flushes it on a message it sent itself, which comes
 * after the ones already queued. A destination's batch leaves at once when it reaches {@code max} values,
 * and before it would outgrow {@code maxWeight} (a value that alone weighs that much leaves alone). Owned
 * by one actor and touched only in its handlers.
 */
final class Outbox<K, V> {

  private final int max;
  private final long maxWeight;
  private final BiConsumer<K, List<V>> deliver;
  private final Map<K, Batch<V>> held = new LinkedHashMap<>();
  /** The destination added to last and its batch: most adds go where the one before went. */
  private K lastTo;
  private Batch<V> lastBatch;

  /** One destination's values and their weight. */
  private static final class Batch<V> {
    final List<V> values = new ArrayList<>();
    long weight;
  }

  /** {@code deliver} sends one destination's batch: never empty, and the outbox keeps no reference to it. */
  Outbox(int max, BiConsumer<K, List<V>> deliver) {
    this(max, Long.MAX_VALUE, deliver);
  }

  /** The same, with batches of at most {@code maxWeight} in all (as {@link #add(Object, Object, long)} weighs them). */
  Outbox(int max, long maxWeight, BiConsumer<K, List<V>> deliver) {
    this.max = max;
    this.maxWeight = maxWeight;
    this.deliver = deliver;
  }

  /** Holds {@code value} for {@code to}; {@code true} while anything is held, waiting for a {@link #flush()}. */
  boolean add(K to, V value) {
    return add(to, value, 0);
  }

  /** Holds {@code value}, of {@code weight}, for {@code to}; {@code true} while anything is held. */
  boolean add(K to, V value, long weight) {
    Batch<V> batch = to == lastTo ? lastBatch : held.get(to);
    if (batch != null && !batch.values.isEmpty() && batch.weight + weight > maxWeight) {
      flush(to); // it would outgrow the limit: what is held leaves first
      batch = null;
    }
    if (batch == null) batch = held.computeIfAbsent(to, k -> new Batch<>());
    lastTo = to;
    lastBatch = batch;
    batch.values.add(value);
    batch.weight += weight;
    if (batch.values.size() >= max || batch.weight >= maxWeight) flush(to);
    return !held.isEmpty();
  }

  /** Sends everything held. */
  void flush() {
    forgetLast();
    if (held.isEmpty()) return;
    held.forEach((to, batch) -> deliver.accept(to, batch.values));
    held.clear();
  }

  /** Sends what is held for {@code to}. */
  void flush(K to) {
    forgetLast();
    Batch<V> batch = held.remove(to);
    if (batch != null) deliver.accept(to, batch.values);
  }

  /** Forgets what is held for {@code to}, unsent. */
  void drop(K to) {
    forgetLast();
    held.remove(to);
  }

  private void forgetLast() {
    lastTo = null;
    lastBatch = null;
  }
}
