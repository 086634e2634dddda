package io.pel.streams.internal;

import io.pel.actors.ExecutionLayer;
import io.pel.streams.KeyedAggregate;
import java.util.ArrayDeque;
import java.util.Map;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * Keyed aggregation of bounded input: once upstream completes and every merge is acknowledged, drains
 * the partitions (removing them from their stores) and emits each key's aggregate once.
 *
 * <p>Partitions are drained a few at a time, as downstream takes what the previous ones gave: at most
 * as many drains as batch slots are in flight, and none is started while a few thousand results wait for
 * demand.
 */
public final class AggregateOnCompletionStage<T, K, A> extends GraphStage<FlowShape<T, KeyedAggregate<K, A>>> {

  private final AggregationSpec<T, K, A> spec;
  private final ExecutionLayer layer;
  private final Inlet<T> in = Inlet.create("KeyedAggregation.in");
  private final Outlet<KeyedAggregate<K, A>> out = Outlet.create("KeyedAggregation.out");
  private final FlowShape<T, KeyedAggregate<K, A>> shape = FlowShape.of(in, out);

  public AggregateOnCompletionStage(AggregationSpec<T, K, A> spec, ExecutionLayer layer) {
    this.spec = spec;
    this.layer = layer;
  }

  @Override
  public FlowShape<T, KeyedAggregate<K, A>> shape() {
    return shape;
  }

  @Override
  public Attributes initialAttributes() {
    return Attributes.name("keyedAggregation-" + spec.name());
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new Logic();
  }

  private final class Logic extends CombiningLogic<T, K, A> {

    /** Results waiting for demand, beyond which no further partition is drained yet. */
    private static final int READY = 4096;

    private final ArrayDeque<KeyedAggregate<K, A>> ready = new ArrayDeque<>();
    private int nextPartition;
    /** Upstream finished and every merge is acknowledged: partitions may be drained. */
    private boolean draining;

    Logic() {
      super(shape, AggregateOnCompletionStage.this.in, out, AggregateOnCompletionStage.this.spec, layer);
    }

    @Override
    protected void onSettled() {
      if (upstreamFinished()) {
        draining = true;
        drainMore();
      }
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void onDrained(int partition, Map<Object, Object> changed) {
      for (Map.Entry<Object, Object> entry : changed.entrySet()) {
        ready.add(new KeyedAggregate<>((K) entry.getKey(), (A) entry.getValue()));
      }
      onDemand();
    }

    @Override
    protected void onDemand() {
      if (isAvailable(out) && !ready.isEmpty()) push(out, ready.poll());
      if (draining) drainMore();
    }

    private void drainMore() {
      while (nextPartition < spec.partitions() && drainsInFlight() < slots() && ready.size() < READY) {
        int p = nextPartition++;
        if (sent(p) > 0) drain(p, true);
      }
      if (nextPartition == spec.partitions() && drainsInFlight() == 0) {
        stateRemoved();
        if (ready.isEmpty()) completeStage();
      }
    }
  }
}
