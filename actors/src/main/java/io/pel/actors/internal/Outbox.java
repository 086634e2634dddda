package io.pel.actors.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Messages for other nodes held per destination so that those ready at one moment leave together: an
 * actor adds to it while it handles its mailbox and flushes it on a message it sent itself, which comes
 * after the ones already queued. A destination's batch leaves at once when it reaches {@code max}.
 * Owned by one actor and touched only in its handlers.
 */
final class Outbox<K, V> {

  private final int max;
  private final BiConsumer<K, List<V>> deliver;
  private final Map<K, List<V>> held = new LinkedHashMap<>();
  /** The destination added to last and its batch: most adds go where the one before went. */
  private K lastTo;
  private List<V> lastBatch;

  /** {@code deliver} sends one destination's batch: never empty, and the outbox keeps no reference to it. */
  Outbox(int max, BiConsumer<K, List<V>> deliver) {
    this.max = max;
    this.deliver = deliver;
  }

  /** Holds {@code value} for {@code to}; {@code true} while anything is held, waiting for a {@link #flush()}. */
  boolean add(K to, V value) {
    List<V> batch = to == lastTo ? lastBatch : held.computeIfAbsent(to, k -> new ArrayList<>());
    lastTo = to;
    lastBatch = batch;
    batch.add(value);
    if (batch.size() >= max) flush(to);
    return !held.isEmpty();
  }

  /** Sends everything held. */
  void flush() {
    forgetLast();
    if (held.isEmpty()) return;
    held.forEach(deliver);
    held.clear();
  }

  /** Sends what is held for {@code to}. */
  void flush(K to) {
    forgetLast();
    List<V> batch = held.remove(to);
    if (batch != null) deliver.accept(to, batch);
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
