package io.pel.streams;

import org.reactivestreams.tck.TestEnvironment;

/** The Reactive Streams TCK's timing, shared by every TCK class of this module. */
final class TckEnvironment {

  /**
   * How long a TCK test waits for a signal it expects. A signal through the layer crosses a few actors,
   * well under a millisecond when idle; 500 ms leaves room for a busy two-core build machine.
   */
  static final long TIMEOUT_MILLIS = 500;

  /**
   * How long a TCK test watches for a signal that must not come. Every such test waits this long, so it
   * sets most of the TCK's run time; a violation this misses still fails when it shows up earlier.
   */
  static final long NO_SIGNALS_MILLIS = 100;

  /** How long a publisher may keep a cancelled subscriber reachable (rule 3.13). */
  static final long PUBLISHER_GC_MILLIS = 1_000;

  private TckEnvironment() {}

  static TestEnvironment create() {
    return new TestEnvironment(TIMEOUT_MILLIS, NO_SIGNALS_MILLIS);
  }
}
