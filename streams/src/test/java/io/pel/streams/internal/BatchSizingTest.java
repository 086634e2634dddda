package io.pel.streams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** BatchSizing driven by the round trips it is told of: no stage, no clock. */
class BatchSizingTest {

  private static final int ROUTEES = 2;

  @Test
  void beforeAnyBatchCameBackBatchesAreSmallAndTwoPerRouteeMayBeOut() {
    BatchSizing sizing = new BatchSizing(0);
    assertEquals(BatchSizing.FIRST_MAX_BATCH, sizing.maxBatch(ROUTEES));
    assertEquals(4, sizing.batchesInFlight(ROUTEES));
    assertEquals(1 * 2, new BatchSizing(0).batchesInFlight(0), "a node that sees no routee yet still sends");
    assertEquals(5 * BatchSizing.FIRST_MAX_BATCH, sizing.window(ROUTEES), "two per routee out plus one filling");
  }

  @Test
  void tinyTasksGrowTheBatchToItsLimitAndTheWindowStaysBounded() {
    BatchSizing sizing = new BatchSizing(0);
    // Batches of 10 elements that come back in 100 us with nothing queued: 10 us per element at most.
    sizing.completed(10, 100_000, 1, ROUTEES);
    assertEquals(BatchSizing.TARGET_BATCH_NANOS / 10_000, sizing.maxBatch(ROUTEES), "a batch's worth of work at 10 us an element");
    for (int i = 0; i < 50; i++) sizing.completed(4096, 200_000, 1, ROUTEES);
    assertEquals(BatchSizing.MAX_BATCH, sizing.maxBatch(ROUTEES));
    assertEquals(5 * BatchSizing.MAX_BATCH, sizing.window(ROUTEES));
    BatchSizing wide = new BatchSizing(0);
    wide.completed(4096, 1_000, 1, 1000);
    assertTrue(wide.window(1000) <= BatchSizing.MAX_WINDOW, "a thousand routees do not lift the memory bound: " + wide.window(1000));
    assertEquals(BatchSizing.MAX_WINDOW / 2001, wide.maxBatch(1000));
  }

  @Test
  void heavyTasksTravelAlone() {
    BatchSizing sizing = new BatchSizing(0);
    sizing.completed(1, 2 * BatchSizing.TARGET_BATCH_NANOS, 1, ROUTEES);
    assertEquals(1, sizing.maxBatch(ROUTEES));
    assertEquals(5, sizing.window(ROUTEES), "one running and one waiting per routee, one taken in");
  }

  @Test
  void aRoundTripSpentQueuedBehindOtherBatchesIsNotCountedAsWork() {
    BatchSizing queued = new BatchSizing(0);
    // 8 batches out over 2 routees: this one waited for three others on its routee, so a quarter was its own.
    queued.completed(100, 400_000, 8, ROUTEES);
    assertEquals(1_000, queued.elementNanos(), 1e-9);
    BatchSizing alone = new BatchSizing(0);
    alone.completed(100, 400_000, 1, ROUTEES);
    assertEquals(4_000, alone.elementNanos(), 1e-9);
  }

  @Test
  void theEstimateFollowsAChangeOfServiceTimeAndIgnoresEmptySamples() {
    BatchSizing sizing = new BatchSizing(0);
    sizing.completed(10, 10 * 2 * BatchSizing.TARGET_BATCH_NANOS, 1, ROUTEES);
    assertEquals(1, sizing.maxBatch(ROUTEES));
    sizing.completed(0, 1, 1, ROUTEES);
    sizing.completed(10, 0, 1, ROUTEES);
    assertEquals(2 * BatchSizing.TARGET_BATCH_NANOS, sizing.elementNanos(), 1e-6);
    for (int i = 0; i < 80; i++) sizing.completed(1000, 8_000_000, 1, ROUTEES);
    assertEquals(BatchSizing.TARGET_BATCH_NANOS / 8_000, sizing.maxBatch(ROUTEES), 5, "now 8 us an element");
  }

  @Test
  void aWindowSetByHandBoundsTheElementsAndShapesTheBatches() {
    BatchSizing sizing = new BatchSizing(40);
    for (int i = 0; i < 10; i++) sizing.completed(4096, 1_000, 1, ROUTEES);
    assertEquals(40, sizing.window(ROUTEES));
    assertEquals(10, sizing.maxBatch(ROUTEES), "40 elements over the 4 batches that may be out");
    assertEquals(1, new BatchSizing(3).maxBatch(ROUTEES));
  }
}
