package io.pel.streams.internal;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.OverloadedException;
import io.pel.actors.TaskType;
import io.pel.streams.AggregationStateLostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
 * What both keyed aggregation stages share: gather elements into batches, have each batch combined on a
 * routee (the pipeline's steps, then one accumulator per key), ship each batch's partials as one merge per
 * partition, count acknowledgements, drain partitions, and discard the run's state if the stream ends
 * without draining it.
 *
 * <p>Batches form by themselves, as in {@link ParallelStage}: an element that arrives while a combining
 * slot is free leaves at once; elements that arrive while every slot is taken wait for the next batch, up
 * to the size whose routee work is about {@link #COMBINE_TARGET_NANOS}, learnt from the combines' round
 * trips. So the stream's thread does nothing per element but keep it in a list, tiny elements travel by the
 * thousand and heavy ones (chunks of text) alone. There are two combining slots per routee unless set by
 * hand, and at most {@link #MERGE_BACKLOG} batches per slot whose merges are not all acknowledged, which
 * bounds the work and the memory the stage has in the layer. A task the layer refuses for overload waits
 * until the layer has room ({@link ExecutionLayer#whenAcceptingMore}) and still counts as out, so a full
 * layer backpressures the stream instead of failing it.
 *
 * <p>All fields belong to the stage and are touched only in its handlers, timers and the async callback:
 * task stages complete on PEL's threads and only {@code invoke} the callback. Subclasses decide what to
 * drain when ({@link #onSettled}) and what to emit ({@link #onDrained}).
 */
abstract class CombiningLogic<T, K, R> extends TimerGraphStageLogic {

  /** A task's outcome, handed back into the stage. */
  private sealed interface Event permits Combined, Stored, Room {}

  /** The layer, which refused a task for overload, has room again. */
  private enum Room implements Event { INSTANCE }

  /** A combining task of {@code batch} came back. */
  private record Combined(List<Object> batch, PartitionStore.Partials partials, Throwable failure) implements Event {}

  /**
   * A store command's outcome. {@code tag} is the batch of a merge, or for a drain the merges sent to its
   * partition when it was issued: all of them acknowledged, so all must be held.
   */
  private record Stored(PartitionStore.Command command, long tag, PartitionStore.Reply reply, Throwable failure)
      implements Event {}

  /**
   * Routee work per combining batch: longer than a {@link ParallelStage}'s, since every key a batch holds
   * costs a merge on its partition's routee, and a larger batch holds fewer keys per element. Measured on 2
   * cores over 50 MB of Zipf text in 621,666 lines: with 32 ms batches the routees spent about a fifth of
   * their time merging, with 100 ms ones about a tenth. The cost is at the end of bounded input, where the
   * last batches may leave one routee busy while another idles: {@link #flush} spreads what is left.
   */
  static final long COMBINE_TARGET_NANOS = 100_000_000;
  /** The largest combining batch formed by itself. */
  static final int COMBINE_MAX_BATCH = 65_536;
  /**
   * Batches whose merges are not all acknowledged, per slot, before no further batch is combined. Merges go
   * to their partitions' routees and may wait there behind a long combine; counting them against the
   * combines' own slots would leave the other routees idle meanwhile.
   */
  static final int MERGE_BACKLOG = 4;

  protected final AggregationSpec<T, K, R> spec;
  private final Inlet<T> in;
  private final ExecutionLayer layer;
  private final TaskType<PartitionStore.Command, PartitionStore.Reply> type;
  private final TaskType<List<Object>, PartitionStore.Partials> combineType;
  private final String run = UUID.randomUUID().toString();
  private final BatchSizing sizing = BatchSizing.forCombining(COMBINE_TARGET_NANOS, COMBINE_MAX_BATCH);
  /** Elements taken from upstream and not yet sent to be combined. */
  private ArrayList<Object> pending = new ArrayList<>();
  /** Merges sent per partition; also the seq of the latest. */
  private final long[] sent;
  private final Map<Long, Integer> unackedByBatch = new HashMap<>();
  private long nextBatch;
  private int combinesOut;
  private int mergesInFlight;
  private int drainsInFlight;
  private boolean stateRemoved;
  /** Tasks the layer refused for overload, offered again once it has room: a full layer is backpressure. */
  private final ArrayDeque<Runnable> refused = new ArrayDeque<>();
  private boolean awaitingRoom;
  private AsyncCallback<Event> events;

  CombiningLogic(Shape shape, Inlet<T> in, Outlet<?> out, AggregationSpec<T, K, R> spec, ExecutionLayer layer) {
    super(shape);
    this.spec = spec;
    this.in = in;
    this.layer = layer;
    this.type = spec.taskType();
    this.combineType = spec.combineTaskType();
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
    events = createAsyncCallback(this::onEvent);
    pull(in);
  }

  /** Called when no combine and no merge is out any more, or upstream finished with none out. */
  protected abstract void onSettled();

  /** Partition {@code partition} answered a drain with {@code changed}; it holds every merge sent. */
  protected abstract void onDrained(int partition, Map<Object, Object> changed);

  /** Downstream asks for an element. */
  protected abstract void onDemand();

  /**
   * Whether the subclass wants upstream left alone for now (a snapshot is being taken): nothing is pulled
   * and nothing more is sent to be combined (what was sent is still merged). An element pulled before may
   * still arrive; it waits until the subclass {@link #flush}es again.
   */
  protected boolean holdsUpstream() {
    return false;
  }

  private void onElement(T element) {
    pending.add(element);
    onTaken();
    send();
    tryPull();
  }

  /** An element was taken from upstream. */
  protected void onTaken() {}

  /** Whether elements were taken and not yet sent to be combined. */
  protected final boolean hasUnshipped() {
    return !pending.isEmpty();
  }

  /** Sends every pending element to be combined now, slots or not: a snapshot or the end needs them in. */
  protected final void flush() {
    // Spread over the slots: what is left at the end or at a snapshot finishes on every routee at once.
    int chunk = Math.max(1, (pending.size() + slots() - 1) / slots());
    while (!pending.isEmpty()) combine(chunk);
  }

  /** Sends pending elements to be combined while slots are free, unless the subclass holds upstream. */
  private void send() {
    while (!pending.isEmpty() && !holdsUpstream() && combinesOut < slots() && unackedByBatch.size() < MERGE_BACKLOG * slots()) {
      combine(maxBatch());
    }
  }

  /** Batches out at most; also the drains in flight at most. */
  protected final int slots() {
    return spec.parallelism() > 0 ? spec.parallelism() : sizing.batchesInFlight(layer.routeeCount());
  }

  private int maxBatch() {
    return spec.maxBatch() > 0 ? spec.maxBatch() : sizing.maxBatch(layer.routeeCount());
  }

  /** Sends one batch of pending elements, at most {@code limit} of them, to be combined on a routee. */
  private void combine(int limit) {
    int size = Math.min(pending.size(), limit);
    ArrayList<Object> batch;
    if (size == pending.size()) {
      batch = pending;
      pending = new ArrayList<>();
    } else {
      batch = new ArrayList<>(pending.subList(0, size));
      pending.subList(0, size).clear();
    }
    combinesOut++;
    sendCombine(batch);
  }

  private void sendCombine(List<Object> batch) {
    layer.submit(combineType, batch)
        .whenComplete((partials, failure) -> events.invoke(new Combined(batch, partials, failure)));
  }

  /** Keeps a task the layer refused for overload until it has room; the task still counts as out. */
  private void refused(Runnable offerAgain) {
    refused.add(offerAgain);
    if (awaitingRoom) return;
    awaitingRoom = true;
    layer.whenAcceptingMore().thenRun(() -> events.invoke(Room.INSTANCE));
  }

  private void onRoom() {
    awaitingRoom = false;
    int offers = refused.size(); // one round each: a task refused again comes back through its event
    for (int i = 0; i < offers; i++) refused.poll().run();
  }

  /** Ships one batch's partials: {@code parts} by partition, {@code null} where a partition got nothing. */
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

  /** Pulls while the pending batch has room and the subclass does not hold upstream. */
  protected final void tryPull() {
    if (!isClosed(in) && !hasBeenPulled(in) && pending.size() < maxBatch() && !holdsUpstream()) pull(in);
  }

  protected final void checkSettled() {
    if (combinesOut == 0 && mergesInFlight == 0) onSettled();
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
        .whenComplete((reply, failure) -> events.invoke(new Stored(command, tag, reply, failure)));
  }

  private String shardKey(int partition) {
    return run + "/" + partition;
  }

  private void onEvent(Event event) {
    if (event instanceof Combined combined) onCombined(combined);
    else if (event instanceof Stored stored) onStored(stored);
    else onRoom();
  }

  private void onCombined(Combined combined) {
    Throwable failure = Completions.unwrap(combined.failure());
    if (failure instanceof OverloadedException) {
      refused(() -> sendCombine(combined.batch()));
      return;
    }
    combinesOut--;
    if (failure != null) {
      failStage(failure);
      return;
    }
    // The routee's own time on the batch: its round trip also holds the merges and combines it queued behind.
    sizing.completed(combined.batch().size(), Math.max(1, combined.partials().nanos()), 1, 1);
    ship(combined.partials().partitions());
    send();
    checkSettled();
    tryPull();
  }

  private void onStored(Stored outcome) {
    Throwable failure = Completions.unwrap(outcome.failure());
    if (failure instanceof OverloadedException) {
      refused(() -> submit(outcome.command(), outcome.tag()));
      return;
    }
    if (failure != null) {
      failStage(failure);
      return;
    }
    if (outcome.command() instanceof PartitionStore.Merge) {
      mergesInFlight--;
      int unacked = unackedByBatch.merge(outcome.tag(), -1, Integer::sum);
      if (unacked == 0) unackedByBatch.remove(outcome.tag());
      send();
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
