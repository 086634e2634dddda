package io.pel.actors.internal;

import io.pel.cluster.PelSettings;
import java.util.Objects;

/**
 * The one retry decision of a node, for single tasks and batch elements alike: whether an attempt that
 * failed is run again, and after how long. The supervisor asks it for a task's attempts; a batch's
 * caller ({@link BatchCall}) asks it for an element that failed inside its batch, and hands the element
 * back to the supervisor, which then waits the same backoff as for any task.
 */
public final class RetryPolicy {

  private final PelSettings.Retry settings;

  public RetryPolicy(PelSettings.Retry settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** Whether a task that has failed {@code failures} times, the last time {@code retryable}ly, runs again. */
  public boolean retries(int failures, boolean retryable) {
    return retryable && failures < settings.maxAttempts();
  }

  /** How long to wait before the attempt after {@code failures} failures; {@code random} in [0, 1) jitters it. */
  public long delayNanos(int failures, double random) {
    return settings.backoff().delay(failures, random).toNanos();
  }
}
