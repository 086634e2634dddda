package io.pel.service.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pel.actors.LayerStats;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lines a node prints about its work. */
class NodeReporterTest {

  private static LayerStats stats(long submitted, long succeeded, long redispatched, long attemptsRun, int routees, int accepted) {
    return new LayerStats(submitted, succeeded, 0, 0, 0, 0, redispatched, 0, 0, 0, 0, 0, attemptsRun, routees, accepted);
  }

  @Test
  void noStatusLineWhenNothingChanged() {
    assertEquals(Optional.empty(), NodeReporter.statusLine(stats(5, 5, 0, 120, 6, 0), stats(5, 5, 0, 120, 6, 0)));
  }

  @Test
  void aStatusLineCountsTheAttemptsRunSinceTheLastOne() {
    assertEquals(
        Optional.of("status: routees here ran 1,500 attempts since the last status (2,000 in all); tasks accepted here 7 "
            + "(6 succeeded, 0 failed, 1 in flight); 3 re-dispatched; 4 routees in the cluster"),
        NodeReporter.statusLine(stats(5, 5, 0, 500, 6, 0), stats(7, 6, 3, 2_000, 4, 1)));
  }

  @Test
  void aChangeOfRouteesAloneIsWorthALine() {
    assertEquals(
        Optional.of("status: routees here ran 0 attempts since the last status (0 in all); tasks accepted here 0 "
            + "(0 succeeded, 0 failed, 0 in flight); 0 re-dispatched; 6 routees in the cluster"),
        NodeReporter.statusLine(stats(0, 0, 0, 0, 2, 0), stats(0, 0, 0, 0, 6, 0)));
  }
}
