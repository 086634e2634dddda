package io.pel.actors.internal;

import static org.junit.jupiter.api.Assertions.assertSame;

import io.pel.cluster.PelSettings;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The adaptive strategy driven by a fake clock: a routee that once looked slow is tried again as its estimate fades. */
class AdaptiveRoutingTest {

  private static final String TYPE = "t";
  private long now = 1_000_000;
  private final RoutingStrategy routing = RoutingStrategy.of(PelSettings.Routing.ADAPTIVE, new SplittableRandom(3), () -> now);
  private final RouteeState slow = new RouteeState(null, "pekko://pel@127.0.0.1:1/user/worker-0", true, 0);
  private final RouteeState fast = new RouteeState(null, "pekko://pel@127.0.0.1:1/user/worker-1", true, 0);
  private final TaskRecord task = new TaskRecord(new TaskId(1, 1), TYPE, null, 1L, new TaskFuture(null));

  @Test
  void anIdleRouteeThatLookedSlowIsPickedAgainOnceItsEstimateHasFadedAndNotBefore() {
    slow.recordService(TYPE, 10_000, 1, now);
    fast.recordService(TYPE, 1_000, 1, now);
    fast.outstanding = 1; // fast costs (1 + 1) x 1,000 ns; slow costs 10,000 ns until its estimate fades
    fast.outstandingWeight = 1;
    List<RouteeState> both = List.of(slow, fast);
    for (int i = 0; i < 20; i++) assertSame(fast, routing.select(task, both), "just sampled");

    // Idle for 3 half-lives (of the best service time x STALE_HALF_LIVES): slow's excess of 9,000 ns is down to 1,125.
    now += (long) (3 * AdaptiveRouting.STALE_HALF_LIVES * 1_000);
    for (int i = 0; i < 20; i++) assertSame(fast, routing.select(task, both), "3 half-lives idle: 2,125 ns > 2,000 ns");
    // One more: 1,562 ns < 2,000 ns, slow is tried again.
    now += (long) (AdaptiveRouting.STALE_HALF_LIVES * 1_000);
    for (int i = 0; i < 20; i++) assertSame(slow, routing.select(task, both), "4 half-lives idle");
  }
}
