package io.pel.streams.internal;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.TaskType;
import io.pel.actors.internal.FailureReport;
import io.pel.streams.AggregationStateLostException;
import io.pel.streams.KeyedPartials;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.Shape;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;

/**
 * What both keyed aggregation stages share: combine elements into batches, ship each batch as one merge
 * per partition, count acknowledgements, drain partitions, and discard the run's state if the stream
 * ends without draining it.
 *
 * <p>All fields belong to the stage and are touched only in its handlers, timers and the async callback:
 * task stages complete on PEL's supervisor thread and only {@code invoke} the callback. Upstream is pulled
 * only while fewer than {@code parallelism} batches await acknowledgement and the subclass does not hold
 * it, which bounds the stage's memory and the work it has in the layer. Subclasses decide what to drain
 * when ({@link #onSettled}) and what to emit ({@link #onDrained}).
 */
abstract class CombiningLogic<T, K, A> extends TimerGraphStageLogic {

  private static final String LINGER = "linger";

  /**
   * A task's outcome, handed back into the stage. {@code tag} is the batch of a merge, or for a drain the
   * merges sent to its partition when it was issued: all of them acknowledged, so all must be held.
   */
  private record Outcome(PartitionStore.Command command, long tag, PartitionStore.Reply reply, Throwable failure) {}

  protected final AggregationSpec<T, K, A> spec;
  private final Inlet<T> in;
  private final ExecutionLayer layer;
  private final TaskType<PartitionStore.Command, PartitionStore.Reply> type;
  private final String run = UUID.randomUUID().toString();
  private final CombineBuffer<T, K, A> buffer;
  /** Partials that arrived while the subclass held upstream; shipped by the next {@link #flush}. */
  private final ArrayDeque<KeyedPartials<?, ?>> heldPartials = new ArrayDeque<>();
  /** Merges sent per partition; also the seq of the latest. */
  private final long[] sent;
  private final Map<Long, Integer> unackedByBatch = new HashMap<>();
  private long nextBatch;
  private int mergesInFlight;
  private int drainsInFlight;
  private boolean stateRemoved;
  private AsyncCallback<Outcome> outcomes;

  CombiningLogic(Shape shape, Inlet<T> in, Outlet<?> out, AggregationSpec<T, K, A> spec, ExecutionLayer layer) {
    super(shape);
    this.spec = spec;
    this.in = in;
    this.layer = layer;
    this.type = spec.taskType();
    this.buffer = new CombineBuffer<>(spec);
    this.sent = new long[spec.partitions()];
    setHandler(in, new AbstractInHandler() {
      @Override
      public void onPush() {
        onElement(grab(in));
      }

      @Override
      public void onUpstreamFinish() {
        if (!holdsUpstream()) flush();
        checkSettled();
      }
    });
    setHandler(out, new AbstractOutHandler() {
      @Override
      public void onPull() {
        onDemand();
      }
    });
  }

  @Override
  public void preStart() {
    outcomes = createAsyncCallback(this::onOutcome);
    pull(in);
  }

  /** Called when no merge is in flight any more, or upstream finished with none in flight. */
  protected abstract void onSettled();

  /** Partition {@code partition} answered a drain with {@code changed}; it holds every merge sent. */
  protected abstract void onDrained(int partition, Map<Object, Object> changed);

  /** Downstream asks for an element. */
  protected abstract void onDemand();

  /**
   * Whether the subclass wants upstream left alone for now (a snapshot is being taken): nothing is pulled
   * and nothing is shipped. An element pulled before may still arrive; it waits in the batch until the
   * subclass {@link #flush}es again.
   */
  protected boolean holdsUpstream() {
    return false;
  }

  private void onElement(T element) {
    if (spec.partialsInput()) {
      KeyedPartials<?, ?> partials = (KeyedPartials<?, ?>) element;
      spec.checkPartials(partials);
      if (holdsUpstream()) heldPartials.add(partials);
      else ship(partials.partitions());
      onFolded();
      tryPull();
      return;
    }
    if (buffer.isEmpty()) scheduleOnce(LINGER, spec.linger());
    buffer.add(element);
    onFolded();
    if (buffer.elements() >= spec.batchSize() && !holdsUpstream()) flush();
    tryPull();
  }

  /** An element was folded into the current batch. */
  protected void onFolded() {}

  @Override
  public void onTimer(Object key) {
    if (LINGER.equals(key) && !holdsUpstream()) {
      flush();
      tryPull();
    }
  }

  /** Whether the current batch holds elements not yet shipped. */
  protected final boolean hasUnshipped() {
    return !buffer.isEmpty() || !heldPartials.isEmpty();
  }

  /** Ships the current batch, if any, and any partials held back, as one merge per partition each touches. */
  protected final void flush() {
    cancelTimer(LINGER);
    while (!heldPartials.isEmpty()) ship(heldPartials.poll().partitions());
    if (!buffer.isEmpty()) ship(Arrays.asList(buffer.split()));
  }

  /** Ships one batch: {@code parts} by partition, {@code null} where a partition got nothing. */
  private void ship(List<Map<Object, Object>> parts) {
    int merges = 0;
    for (Map<Object, Object> part : parts) {
      if (part != null && !part.isEmpty()) merges++;
    }
    if (merges == 0) return;
    long batch = nextBatch++;
    unackedByBatch.put(batch, merges);
    mergesInFlight += merges;
    for (int p = 0; p < parts.size(); p++) {
      Map<Object, Object> part = parts.get(p);
      if (part != null && !part.isEmpty()) submit(new PartitionStore.Merge(run, p, ++sent[p], part), batch);
    }
  }

  /** Starts draining {@code partition}; with {@code last}, its store forgets it afterwards. */
  protected final void drain(int partition, boolean last) {
    drainsInFlight++;
    submit(new PartitionStore.Drain(run, partition, last), sent[partition]);
  }

  protected final void tryPull() {
    if (!isClosed(in) && !hasBeenPulled(in) && unackedByBatch.size() < spec.parallelism() && !holdsUpstream()) pull(in);
  }

  protected final void checkSettled() {
    if (mergesInFlight == 0) onSettled();
  }

  protected final boolean upstreamFinished() {
    return isClosed(in);
  }

  protected final int drainsInFlight() {
    return drainsInFlight;
  }

  /** Merges sent to {@code partition} so far. */
  protected final long sent(int partition) {
    return sent[partition];
  }

  /** The stores hold nothing more of this run: no discard is needed when the stage stops. */
  protected final void stateRemoved() {
    stateRemoved = true;
  }

  private void submit(PartitionStore.Command command, long tag) {
    int partition = command instanceof PartitionStore.Merge m ? m.partition() : ((PartitionStore.Drain) command).partition();
    layer.submit(type, shardKey(partition), command)
        .whenComplete((reply, failure) -> outcomes.invoke(new Outcome(command, tag, reply, failure)));
  }

  private String shardKey(int partition) {
    return run + "/" + partition;
  }

  private void onOutcome(Outcome outcome) {
    if (outcome.failure() != null) {
      Throwable cause = outcome.failure();
      failStage(FailureReport.unwrap(cause));
      return;
    }
    if (outcome.command() instanceof PartitionStore.Merge) {
      mergesInFlight--;
      int unacked = unackedByBatch.merge(outcome.tag(), -1, Integer::sum);
      if (unacked == 0) unackedByBatch.remove(outcome.tag());
      checkSettled();
      tryPull();
      return;
    }
    drainsInFlight--;
    int partition = ((PartitionStore.Drain) outcome.command()).partition();
    PartitionStore.Drained drained = (PartitionStore.Drained) outcome.reply();
    if (drained.merges() != outcome.tag()) {
      failStage(new AggregationStateLostException(spec.name(), partition, outcome.tag(), drained.merges()));
      return;
    }
    onDrained(partition, drained.changed());
  }

  /** Best effort: tells every partition that got merges to forget this run, unless drains already did. */
  @Override
  public void postStop() {
    if (stateRemoved) return;
    for (int p = 0; p < sent.length; p++) {
      if (sent[p] == 0) continue;
      try {
        layer.submit(type, shardKey(p), new PartitionStore.Discard(run, p));
      } catch (RuntimeException e) {
        return; // the layer is gone, and its stores with it
      }
    }
  }
}
