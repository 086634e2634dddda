package io.pel.streams.internal;

import io.pel.actors.TaskContext;
import io.pel.actors.TaskHandler;
import io.pel.streams.Aggregator;
import io.pel.streams.internal.CombineBuffer.AggregationFunctionException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * One node's share of one keyed aggregation: the per-key totals of every partition whose home routee is
 * on this node, for every run (materialization) of the aggregation.
 *
 * <p>Every routee of the node shares the one store, so a routee restarted by supervision finds its
 * partitions intact. Commands arrive on many worker threads at once: a retry of a timed-out merge runs on
 * another routee while the first attempt may still be running. Each partition is therefore changed only
 * under its own lock, and a merge is applied at most once per (run, partition, seq): retries duplicate
 * merges and may overtake later ones, so the store keeps a watermark plus the set of sequence numbers
 * applied above it, not just a maximum. The aggregator's {@code combine} may change the total it is given in
 * place; if it throws, the partition is left half merged, which is why that failure is not retried: it
 * fails the stream, and the stream discards the run.
 *
 * <p>Creating and removing partitions happens under one store-wide lock that also keeps a bounded
 * memory of closed partitions, so a late duplicate merge of a drained or discarded partition is dropped
 * instead of bringing the partition back as a leak.
 */
public final class PartitionStore {

  /** A command of the aggregation's task type; its shard key is {@code run + "/" + partition}. */
  public sealed interface Command permits Merge, Drain, Discard {}

  /** Add {@code entries}, one batch's pre-aggregated values by key, to the partition's totals. */
  public record Merge(String run, int partition, long seq, Map<Object, Object> entries) implements Command {}

  /**
   * Return the keys changed since the partition's previous drain with their totals, and how many
   * merges the partition holds; with {@code last}, forget the partition afterwards.
   */
  public record Drain(String run, int partition, boolean last) implements Command {}

  /** Forget the partition: its stream was cancelled or failed. */
  public record Discard(String run, int partition) implements Command {}

  /**
   * What a combining task returns: one batch's accumulators by key, split by partition ({@code null} where
   * a partition got none; an ArrayList, which Kryo knows, nulls kept), and the routee's time on the batch,
   * from which the stage sizes its next batches without guessing how long the batch queued.
   */
  public record Partials(List<Map<Object, Object>> partitions, long nanos) {}

  /** A reply of the aggregation's task type. */
  public sealed interface Reply permits Drained, Done {}

  /** The answer to {@link Drain}: the changed keys with their finished results, and the number of distinct merges applied in all. */
  public record Drained(Map<Object, Object> changed, long merges) implements Reply {}

  /** The answer to {@link Merge} and {@link Discard}. */
  public enum Done implements Reply { INSTANCE }

  /** Closed partitions remembered to drop late duplicates; far more than are closed within a task timeout. */
  static final int CLOSED_MEMORY = 16_384;

  private record PartitionId(String run, int partition) {}

  private final String aggregation;
  private final Aggregator<Object, Object, Object> aggregator;
  private final ConcurrentHashMap<PartitionId, Partition> live = new ConcurrentHashMap<>();
  private final Object lifecycle = new Object();
  private final Map<PartitionId, Boolean> closed = new LinkedHashMap<>(64, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<PartitionId, Boolean> eldest) {
      return size() > CLOSED_MEMORY;
    }
  };

  /** A store for the aggregation {@code aggregation} (named in errors), combining totals with {@code aggregator}. */
  public PartitionStore(String aggregation, Aggregator<Object, Object, Object> aggregator) {
    this.aggregation = Objects.requireNonNull(aggregation, "aggregation");
    this.aggregator = Objects.requireNonNull(aggregator, "aggregator");
  }

  /** The handler every routee of the node shares. */
  public TaskHandler<Command, Reply> handler() {
    return this::handle;
  }

  /** Runs one command; thread-safe. */
  public Reply handle(Command command, TaskContext context) {
    Objects.requireNonNull(command, "command");
    if (command instanceof Merge m) return merge(m);
    if (command instanceof Drain d) return drain(d);
    Discard discard = (Discard) command;
    close(new PartitionId(discard.run(), discard.partition()));
    return Done.INSTANCE;
  }

  /** The runs this store holds partitions of, for tests and diagnostics. */
  public Set<String> runs() {
    return live.keySet().stream().map(PartitionId::run).collect(Collectors.toUnmodifiableSet());
  }

  private Reply merge(Merge m) {
    Partition partition = open(new PartitionId(m.run(), m.partition()));
    if (partition == null) return Done.INSTANCE;
    synchronized (partition) {
      if (partition.closed || partition.isApplied(m.seq())) return Done.INSTANCE;
      for (Map.Entry<Object, Object> entry : m.entries().entrySet()) {
        Object key = entry.getKey();
        Object before = partition.totals.get(key);
        Object after = before == null ? entry.getValue() : combine(key, before, entry.getValue());
        if (after != before) partition.totals.put(key, after);
        if (partition.drained) partition.changed.add(key);
      }
      partition.markApplied(m.seq());
    }
    return Done.INSTANCE;
  }

  private Reply drain(Drain d) {
    PartitionId id = new PartitionId(d.run(), d.partition());
    Partition partition = d.last() ? close(id) : live.get(id);
    if (partition == null) return new Drained(new HashMap<>(), 0);
    synchronized (partition) {
      HashMap<Object, Object> changed;
      if (partition.drained) {
        changed = new HashMap<>(Math.max(16, partition.changed.size() * 4 / 3 + 1));
        for (Object key : partition.changed) changed.put(key, finish(key, partition.totals.get(key)));
        partition.changed.clear();
      } else {
        changed = new HashMap<>(Math.max(16, partition.totals.size() * 4 / 3 + 1));
        for (Map.Entry<Object, Object> entry : partition.totals.entrySet()) {
          changed.put(entry.getKey(), finish(entry.getKey(), entry.getValue()));
        }
        partition.drained = true;
      }
      return new Drained(changed, partition.applied());
    }
  }

  private Object combine(Object key, Object total, Object more) {
    Object after;
    try {
      after = aggregator.combine(total, more);
    } catch (RuntimeException e) {
      throw new AggregationFunctionException(aggregation, "the aggregator's combine threw for key " + CombineBuffer.abbreviate(key), e);
    }
    if (after == null) {
      throw new AggregationFunctionException(aggregation, "the aggregator's combine returned null for key " + CombineBuffer.abbreviate(key), null);
    }
    return after;
  }

  private Object finish(Object key, Object total) {
    Object result;
    try {
      result = aggregator.finish(total);
    } catch (RuntimeException e) {
      throw new AggregationFunctionException(aggregation, "the aggregator's finish threw for key " + CombineBuffer.abbreviate(key), e);
    }
    if (result == null) {
      throw new AggregationFunctionException(aggregation, "the aggregator's finish returned null for key " + CombineBuffer.abbreviate(key), null);
    }
    return result;
  }

  /** The live partition {@code id}, created if it was never closed; {@code null} if it was. */
  private Partition open(PartitionId id) {
    Partition partition = live.get(id);
    if (partition != null) return partition;
    synchronized (lifecycle) {
      if (closed.containsKey(id)) return null;
      return live.computeIfAbsent(id, k -> new Partition());
    }
  }

  /** Removes partition {@code id} for good and returns it, or {@code null} if it was not live. */
  private Partition close(PartitionId id) {
    Partition partition;
    synchronized (lifecycle) {
      closed.put(id, Boolean.TRUE);
      partition = live.remove(id);
    }
    if (partition != null) {
      synchronized (partition) {
        partition.closed = true;
      }
    }
    return partition;
  }

  /** One partition of one run; guarded by its own monitor. */
  private static final class Partition {
    final HashMap<Object, Object> totals = new HashMap<>();
    /** Keys changed since the last drain; until the first drain every key is, and this stays empty. */
    final HashSet<Object> changed = new HashSet<>();
    boolean drained;
    /** Every seq up to here is applied. */
    long watermark;
    /** Seqs applied above the watermark (a retry overtook an earlier merge). */
    final TreeSet<Long> above = new TreeSet<>();
    boolean closed;

    boolean isApplied(long seq) {
      return seq <= watermark || above.contains(seq);
    }

    void markApplied(long seq) {
      above.add(seq);
      while (!above.isEmpty() && above.first() == watermark + 1) watermark = above.pollFirst();
    }

    long applied() {
      return watermark + above.size();
    }
  }
}
