package io.pel.testkit.internal;

import io.pel.testkit.JvmClusterException;
import java.util.concurrent.TimeUnit;

/** The one way the testkit waits: on a monitor, for a condition the caller checks, until a deadline. */
public final class Waits {

  private Waits() {}

  /**
   * Waits on {@code monitor} (which the caller holds) until notified or {@code deadlineNanos}
   * ({@link System#nanoTime}) passes.
   *
   * @return false if the deadline had passed already, so the caller should give up
   * @throws JvmClusterException if interrupted (the interrupt flag is set again)
   */
  public static boolean waitOn(Object monitor, long deadlineNanos, String forWhat) {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) return false;
    try {
      TimeUnit.NANOSECONDS.timedWait(monitor, left);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JvmClusterException("interrupted while waiting for " + forWhat, e);
    }
  }
}
