package io.pel.service.internal;

import io.pel.actors.NodeLoad;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * This node's load over the last {@code window} ({@code pel.autoscale.load-window}): readings of {@link
 * NodeLoad} taken by {@link #sample} on whatever schedules it ({@code pel.autoscale.sample-interval}), and
 * the window from the oldest reading still inside it to the newest. Reads the clock it is given, so a test
 * drives it. Thread-safe.
 */
final class LoadMeter {

  private final LongFunction<NodeLoad> load;
  private final LongSupplier clock;
  private final Duration window;
  private final ArrayDeque<NodeLoad> readings = new ArrayDeque<>();

  /**
   * @param load the node's load read at a time on {@code clock} ({@code layer::load})
   * @param clock nanoseconds, monotonic
   * @param window the span the readings cover
   */
  LoadMeter(LongFunction<NodeLoad> load, LongSupplier clock, Duration window) {
    this.load = load;
    this.clock = clock;
    this.window = window;
  }

  /** Takes a reading now and forgets those older than the window (keeping one at or before its start). */
  synchronized void sample() {
    long now = clock.getAsLong();
    readings.addLast(load.apply(now));
    long start = now - window.toNanos();
    while (readings.size() > 2 && readings.stream().skip(1).findFirst().orElseThrow().nanos() <= start) readings.pollFirst();
  }

  /** The load from the oldest reading kept to the newest, once there are two. */
  synchronized Optional<NodeLoad.Window> window() {
    if (readings.size() < 2) return Optional.empty();
    return Optional.of(readings.peekLast().between(readings.peekFirst()));
  }
}
