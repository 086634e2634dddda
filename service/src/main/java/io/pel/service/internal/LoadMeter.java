package io.pel.service.internal;

import io.pel.actors.NodeLoad;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * This node's load over the last {@link #WINDOW}: readings of {@link NodeLoad} taken every {@link #EVERY}
 * ({@link #sample}, on whatever schedules it), and the window from the oldest reading still inside it to
 * the newest. Reads the clock it is given, so a test drives it. Thread-safe.
 */
final class LoadMeter {

  /** The span the gauges cover. */
  static final Duration WINDOW = Duration.ofSeconds(60);
  /** How often a reading is taken. */
  static final Duration EVERY = Duration.ofSeconds(5);

  private final LongFunction<NodeLoad> load;
  private final LongSupplier clock;
  private final ArrayDeque<NodeLoad> readings = new ArrayDeque<>();

  /**
   * @param load the node's load read at a time on {@code clock} ({@code layer::load})
   * @param clock nanoseconds, monotonic
   */
  LoadMeter(LongFunction<NodeLoad> load, LongSupplier clock) {
    this.load = load;
    this.clock = clock;
  }

  /** Takes a reading now and forgets those older than the window (keeping one at or before its start). */
  synchronized void sample() {
    long now = clock.getAsLong();
    readings.addLast(load.apply(now));
    long start = now - WINDOW.toNanos();
    while (readings.size() > 2 && readings.stream().skip(1).findFirst().orElseThrow().nanos() <= start) readings.pollFirst();
  }

  /** The load from the oldest reading kept to the newest, once there are two. */
  synchronized Optional<NodeLoad.Window> window() {
    if (readings.size() < 2) return Optional.empty();
    return Optional.of(readings.peekLast().between(readings.peekFirst()));
  }
}
