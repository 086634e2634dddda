package io.pel.actors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The ledger's table agrees with a HashMap under random puts, gets and removes, with stragglers and across growth. */
class LongRecordMapTest {

  private static TaskRecord record(long seq) {
    return new TaskRecord(new TaskId(1, seq), "t", null, seq, new TaskFuture(null));
  }

  @Test
  void agreesWithAHashMapUnderRandomOperations() {
    LongRecordMap map = new LongRecordMap();
    Map<Long, TaskRecord> expected = new HashMap<>();
    SplittableRandom random = new SplittableRandom(42);
    long next = 0;
    for (int step = 0; step < 500_000; step++) {
      int op = random.nextInt(10);
      if (op < 5) {
        TaskRecord r = record(++next);
        map.put(next, r);
        expected.put(next, r);
      } else if (op < 8 && next > 0) {
        long key = 1 + random.nextLong(next);
        assertSame(expected.remove(key), map.remove(key), "remove " + key + " at step " + step);
      } else if (next > 0) {
        long key = 1 + random.nextLong(next + 10);
        assertSame(expected.get(key), map.get(key), "get " + key + " at step " + step);
      }
      assertEquals(expected.size(), map.size());
    }
    assertEquals(new HashSet<>(expected.values()), new HashSet<>(map.values()));
  }

  @Test
  void keysThatCollideAreAllFoundAfterRemovalsInTheMiddleOfTheirRun() {
    LongRecordMap map = new LongRecordMap();
    // Multiples of a large power of two land in few slots and make long probe runs.
    for (long k = 1; k <= 300; k++) map.put(k << 40, record(k));
    for (long k = 1; k <= 300; k += 3) assertEquals(k, map.remove(k << 40).id.seq());
    for (long k = 1; k <= 300; k++) {
      if ((k - 1) % 3 == 0) assertNull(map.get(k << 40));
      else assertEquals(k, map.get(k << 40).id.seq());
    }
    assertEquals(200, map.size());
  }

  @Test
  void stragglersMakeWayForTheNumbersAfterThemAndAreStillFoundAndTheRingGrowsWhenTheyAreMany() {
    LongRecordMap map = new LongRecordMap();
    Map<Long, TaskRecord> expected = new HashMap<>();
    // A window of 1,000 in flight that settles in order, leaving every 50th number running for good: the
    // stragglers outnumber an eighth of the first ring, so it grows, and all of them stay found.
    for (long k = 1; k <= 200_000; k++) {
      TaskRecord r = record(k);
      map.put(k, r);
      expected.put(k, r);
      long done = k - 1_000;
      if (done > 0 && done % 50 != 0) assertSame(expected.remove(done), map.remove(done), "remove " + done);
    }
    assertEquals(expected.size(), map.size());
    for (Map.Entry<Long, TaskRecord> e : expected.entrySet()) assertSame(e.getValue(), map.get(e.getKey()), "get " + e.getKey());
    assertEquals(new HashSet<>(expected.values()), new HashSet<>(map.values()));
    map.put(50, record(50));
    assertEquals(50, map.get(50).id.seq());
    assertEquals(expected.size(), map.size(), "replacing a mapping keeps the size");
  }
}
