package io.pel.actors.internal;

import io.pel.cluster.PelSettings;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * How long attempts of each task type usually take, to tell a straggler: the p95 over the last {@link
 * #WINDOW} completed attempts of the type, from dispatch to answer (so it includes the wait in the
 * routee's mailbox). Owned by the supervisor actor and touched only in its handlers.
 */
final class Stragglers {

  /** Completed attempts per type the p95 is taken over. */
  static final int WINDOW = 256;

  private final PelSettings.Speculation settings;
  private final Map<String, Samples> byType = new HashMap<>();

  Stragglers(PelSettings.Speculation settings) {
    this.settings = settings;
  }

  void record(String type, long nanos) {
    byType.computeIfAbsent(type, t -> new Samples()).add(nanos);
  }

  /**
   * How long an attempt of {@code type} may run before it is duplicated: {@code max(multiplier × p95,
   * floor)}, or {@link Long#MAX_VALUE} while fewer than {@code min-samples} attempts completed.
   */
  long thresholdNanos(String type) {
    Samples samples = byType.get(type);
    if (samples == null || samples.count < settings.minSamples()) return Long.MAX_VALUE;
    return Math.max((long) (settings.multiplier() * samples.p95()), settings.floor().toNanos());
  }

  /** A ring of recent durations; the p95 is recomputed only after the ring changed a little. */
  private static final class Samples {
    final long[] ring = new long[WINDOW];
    int count;
    int next;
    int sinceSorted = Integer.MAX_VALUE;
    long p95;

    void add(long nanos) {
      ring[next] = nanos;
      next = (next + 1) % WINDOW;
      if (count < WINDOW) count++;
      if (sinceSorted != Integer.MAX_VALUE) sinceSorted++;
    }

    long p95() {
      if (sinceSorted > WINDOW / 16) {
        long[] sorted = Arrays.copyOf(ring, count);
        Arrays.sort(sorted);
        p95 = sorted[Math.min(count - 1, (int) Math.ceil(0.95 * count) - 1)];
        sinceSorted = 0;
      }
      return p95;
    }
  }
}
