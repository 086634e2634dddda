package io.pel.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The percentiles of a latency run: nearest rank over every latency kept. */
class FixedRateLatencyTest {

  @Test
  void percentilesAreNearestRanksOfTheSortedLatencies() {
    long[] hundred = LongStream.rangeClosed(1, 100).map(i -> i * 1_000).toArray(); // 1 µs .. 100 µs
    FixedRateLatency.Result result = new FixedRateLatency.Result(100, 10_000, 10_000, hundred, new long[] {0, 7_000}, 0.5, 0);
    assertEquals(50, result.latencyMicros(0.5));
    assertEquals(99, result.latencyMicros(0.99));
    assertEquals(100, result.latencyMicros(0.999));
    assertEquals(100, result.latencyMicros(1.0));
    assertEquals(1, result.latencyMicros(0.001));
    assertEquals(7, result.lateMicros(0.99));
  }

  @Test
  void aSingleTaskIsEveryPercentile() {
    FixedRateLatency.Result result = new FixedRateLatency.Result(1, 10_000, 10_000, new long[] {42_000}, new long[] {0}, 0.5, 0);
    assertEquals(42, result.latencyMicros(0.5));
    assertEquals(42, result.latencyMicros(0.999));
  }
}
