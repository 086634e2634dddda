package io.pel.service.internal;

import java.time.Duration;

/**
 * Whether a stream's client sends its body fast enough to keep its stream: it measures the time the stream
 * waits for the body (from asking for bytes until they come) and the bytes that come. Time the stream does
 * not ask (its tasks are busy, or its client reads the answers slowly) is not the client's fault and is not
 * counted.
 *
 * <ul>
 *   <li><b>Idle:</b> waiting {@code idleTimeout} for one byte ends the stream.
 *   <li><b>Rate:</b> over each {@code window} of waiting, the body must bring at least {@code
 *       minBytesPerSecond} times the window's seconds; 0 bytes per second is no minimum.
 * </ul>
 *
 * <p>Time is given, in nanoseconds of any one clock, to each call, so a test drives it. Touched by one
 * stream's stage only.
 */
final class IntakeMeter {

  private final long idleNanos;
  private final long minBytesPerSecond;
  private final long windowNanos;
  private final Duration idleTimeout;
  private final Duration window;
  /** When the stream last asked for bytes that have not come yet; {@code -1} while it does not wait. */
  private long waitingSince = -1;
  /** From when the current wait is not yet counted in {@link #waitedNanos}. */
  private long countedUntil;
  /** Waiting time of the current window, but for the current wait since {@link #countedUntil}. */
  private long waitedNanos;
  private long bytesInWindow;

  IntakeMeter(Duration idleTimeout, long minBytesPerSecond, Duration window) {
    this.idleTimeout = idleTimeout;
    this.window = window;
    this.idleNanos = idleTimeout.toNanos();
    this.minBytesPerSecond = minBytesPerSecond;
    this.windowNanos = window.toNanos();
  }

  /** The stream asks for more of the body at {@code now}. */
  void waiting(long now) {
    if (waitingSince < 0) waitingSince = countedUntil = now;
  }

  /** {@code bytes} of the body came at {@code now}. */
  void received(long now, int bytes) {
    if (waitingSince >= 0) {
      waitedNanos += now - countedUntil;
      waitingSince = -1;
    }
    bytesInWindow += bytes;
  }

  /** The body ended: nothing more to wait for. */
  void ended() {
    waitingSince = -1;
  }

  /**
   * Why the stream should end at {@code now}, naming the rule and its setting; null while the client keeps
   * the rules. A window that passed is closed here: call it at least once per window.
   */
  String verdict(long now) {
    long idle = waitingSince < 0 ? 0 : now - waitingSince;
    if (idle >= idleNanos) {
      return "no bytes of the body came for " + millis(idle) + " while the stream waited for them; at most pel.http.stream-idle-timeout = "
          + idleTimeout.toMillis() + " ms";
    }
    long current = waitingSince < 0 ? 0 : now - countedUntil;
    if (waitedNanos + current < windowNanos) return null;
    // A window of waiting has passed: it brought enough, or the stream ends.
    if (minBytesPerSecond > 0 && bytesInWindow < minBytesPerSecond * (double) windowNanos / 1e9) {
      return "the body came at " + Math.round(bytesInWindow * 1e9 / (waitedNanos + current)) + " bytes/s over "
          + millis(waitedNanos + current) + " of waiting for it; at least pel.http.stream-min-bytes-per-second = " + minBytesPerSecond
          + " over pel.http.stream-rate-window = " + window.toMillis() + " ms";
    }
    waitedNanos = 0;
    bytesInWindow = 0;
    countedUntil = now;
    return null;
  }

  private static String millis(long nanos) {
    return (nanos / 1_000_000) + " ms";
  }
}
