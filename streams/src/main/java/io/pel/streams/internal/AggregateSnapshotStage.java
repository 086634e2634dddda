package io.pel.streams.internal;

import io.pel.actors.ExecutionLayer;
import io.pel.streams.AggregateSnapshot;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * Keyed aggregation of unbounded input: every interval, a consistent snapshot of the keys changed since
 * the previous one; a last snapshot when upstream completes.
 *
 * <p>A snapshot round stops pulling, sends what it took to be combined, waits until every combine is back
 * and every merge acknowledged, then drains the partitions that got merges since the previous round.
 * Nothing is merged while they drain, so the snapshot covers exactly the elements pulled before the round began. A tick is skipped
 * while a round runs, while the previous snapshot waits for demand, or when no element arrived since the
 * previous round (nothing changed).
 */
public final class AggregateSnapshotStage<T, K, A> extends GraphStage<FlowShape<T, AggregateSnapshot<K, A>>> {

  private static final String TICK = "snapshot";

  private enum Phase { RUNNING, AWAITING_MERGES, DRAINING, DONE }

  private final AggregationSpec<T, K, A> spec;
  private final ExecutionLayer layer;
  private final Duration interval;
  private final Inlet<T> in = Inlet.create("KeyedAggregation.in");
  private final Outlet<AggregateSnapshot<K, A>> out = Outlet.create("KeyedAggregation.snapshots");
  private final FlowShape<T, AggregateSnapshot<K, A>> shape = FlowShape.of(in, out);

  public AggregateSnapshotStage(AggregationSpec<T, K, A> spec, ExecutionLayer layer, Duration interval) {
    this.spec = spec;
    this.layer = layer;
    this.interval = interval;
  }

  @Override
  public FlowShape<T, AggregateSnapshot<K, A>> shape() {
    return shape;
  }

  @Override
  public Attributes initialAttributes() {
    return Attributes.name("keyedAggregationSnapshots-" + spec.name());
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new Logic();
  }

  private final class Logic extends CombiningLogic<T, K, A> {

    private final ArrayDeque<AggregateSnapshot<K, A>> ready = new ArrayDeque<>();
    private final long[] sentAtLastRound = new long[spec.partitions()];
    private Phase phase = Phase.RUNNING;
    private boolean changedSinceLastRound;
    private boolean lastRound;
    private long sequence;
    private HashMap<K, A> collected;

    Logic() {
      super(shape, AggregateSnapshotStage.this.in, out, AggregateSnapshotStage.this.spec, layer);
    }

    @Override
    public void preStart() {
      super.preStart();
      scheduleWithFixedDelay(TICK, interval, interval);
    }

    @Override
    public void onTimer(Object key) {
      if (phase != Phase.RUNNING || upstreamFinished() || !ready.isEmpty() || !changedSinceLastRound) return;
      flush();
      phase = Phase.AWAITING_MERGES;
      checkSettled();
    }

    @Override
    protected boolean holdsUpstream() {
      return phase != Phase.RUNNING;
    }

    @Override
    protected void onTaken() {
      changedSinceLastRound = true;
    }

    @Override
    protected void onSettled() {
      if (phase == Phase.AWAITING_MERGES) startRound(false);
      else if (phase == Phase.RUNNING && upstreamFinished()) startRound(true);
    }

    private void startRound(boolean last) {
      phase = Phase.DRAINING;
      lastRound = last;
      collected = new HashMap<>();
      for (int p = 0; p < spec.partitions(); p++) {
        long sent = sent(p);
        if (sent > 0 && (last || sent != sentAtLastRound[p])) drain(p, last);
        sentAtLastRound[p] = sent;
      }
      if (drainsInFlight() == 0) endRound();
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void onDrained(int partition, Map<Object, Object> changed) {
      collected.putAll((Map<K, A>) (Map<?, ?>) changed);
      if (drainsInFlight() == 0) endRound();
    }

    private void endRound() {
      ready.add(new AggregateSnapshot<>(++sequence, collected, lastRound));
      collected = null;
      if (lastRound) {
        stateRemoved();
        cancelTimer(TICK);
        phase = Phase.DONE;
      } else {
        phase = Phase.RUNNING;
        // An element pulled before the round may have arrived during it: it belongs to the next one.
        changedSinceLastRound = hasUnshipped();
        flush();
        checkSettled(); // upstream may have finished during the round: the last round follows
        tryPull();
      }
      onDemand();
    }

    @Override
    protected void onDemand() {
      if (isAvailable(out) && !ready.isEmpty()) push(out, ready.poll());
      if (phase == Phase.DONE && ready.isEmpty()) completeStage();
    }
  }
}
