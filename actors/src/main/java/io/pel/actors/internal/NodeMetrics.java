package io.pel.actors.internal;

import io.pel.actors.LayerStats;
import io.pel.actors.NodeLoad;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one node, written by its supervisor and routees and read by anyone through {@link
 * #snapshot}. Adders, so writers never contend; a snapshot is not atomic across counters.
 */
public final class NodeMetrics {
  final LongAdder submitted = new LongAdder();
  final LongAdder succeeded = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder retries = new LongAdder();
  final LongAdder timeouts = new LongAdder();
  final LongAdder redispatched = new LongAdder();
  final LongAdder duplicatesDropped = new LongAdder();
  final LongAdder cancelled = new LongAdder();
  final LongAdder routeeRestarts = new LongAdder();
  final LongAdder speculativeLaunches = new LongAdder();
  final LongAdder speculativeWins = new LongAdder();
  /** Attempts this node's routees have taken in, from any node: what {@code running} never forgets. */
  final LongAdder attemptsRun = new LongAdder();
  /** Attempts this node's routees have taken in and not yet answered (handed to Pekko). */
  final RunningAttempts running = new RunningAttempts();
  volatile int routees;
  /** Time this node's routees spent running attempts (in their handlers, on their threads), in nanoseconds. */
  final LongAdder busyNanos = new LongAdder();
  /** This node's own routees. */
  volatile int localRoutees;
  /** Tasks waiting at this node's supervisor for a routee with room, as of its last dispatch. */
  volatile int waiting;

  /** Routees the supervisor can dispatch to now, cluster-wide. */
  public int routees() {
    return routees;
  }

  /** This node's load counters now, read at {@code nanos} on the caller's clock. */
  public NodeLoad load(long nanos) {
    long run = attemptsRun.sum();
    return new NodeLoad(nanos, busyNanos.sum(), Math.max(0, run - running.sum()), localRoutees, waiting);
  }

  /** The counters now, with {@code accepted} tasks held by the node. */
  public LayerStats snapshot(int accepted) {
    return new LayerStats(
        submitted.sum(), succeeded.sum(), failed.sum(), rejected.sum(), retries.sum(), timeouts.sum(),
        redispatched.sum(), duplicatesDropped.sum(), cancelled.sum(), routeeRestarts.sum(), speculativeLaunches.sum(), speculativeWins.sum(), attemptsRun.sum(),
        routees, accepted);
  }
}
