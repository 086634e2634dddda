package io.pel.actors.internal;

import io.pel.cluster.PelSettings;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * Picks the routee for an unkeyed task among those with room. Called by the supervisor only, so an
 * implementation may keep state without locks. Public only for pel-bench's JMH benchmarks; not API.
 */
public interface RoutingStrategy {

  /** One of {@code available} (never empty). */
  RouteeState select(TaskRecord task, List<RouteeState> available);

  /** @param ticker the supervisor's clock, in nanoseconds: {@link AdaptiveRouting} reads how long a routee has been idle */
  static RoutingStrategy of(PelSettings.Routing routing, SplittableRandom random, LongSupplier ticker) {
    return switch (routing) {
      case ROUND_ROBIN -> new RoundRobin();
      case CONSISTENT_HASH -> (task, available) -> Rendezvous.pick(task.keyHash, available, null);
      case LEAST_OUTSTANDING -> new LeastOutstanding();
      case ADAPTIVE -> new AdaptiveRouting(random, ticker);
    };
  }

  /** Each routee in turn. */
  final class RoundRobin implements RoutingStrategy {
    private int next;

    @Override
    public RouteeState select(TaskRecord task, List<RouteeState> available) {
      next = (next + 1) & Integer.MAX_VALUE;
      return available.get(next % available.size());
    }
  }

  /** The routee with the fewest tasks outstanding; ties go round, so idle routees share work. */
  final class LeastOutstanding implements RoutingStrategy {
    private int offset;

    @Override
    public RouteeState select(TaskRecord task, List<RouteeState> available) {
      int n = available.size();
      offset = (offset + 1) & Integer.MAX_VALUE;
      RouteeState best = null;
      for (int i = 0; i < n; i++) {
        RouteeState r = available.get((offset + i) % n);
        if (best == null || r.outstandingWeight < best.outstandingWeight) best = r;
      }
      return best;
    }
  }
}
