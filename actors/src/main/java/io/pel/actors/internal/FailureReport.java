package io.pel.actors.internal;

import io.pel.actors.FatalTaskException;
import io.pel.actors.NonRetryableException;
import io.pel.cluster.PelSerializable;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;

/**
 * Why an attempt failed, as the routee judged it. Locally it carries the handler's own exception; across
 * the wire {@link ProtocolRegistrar} writes only the class name, message and stack trace, and the
 * receiving node gets a {@link io.pel.actors.RemoteTaskException} in its place.
 *
 * @param retryable whether another attempt may succeed
 * @param fatal whether the routee was restarted because of it
 */
public record FailureReport(Throwable cause, boolean retryable, boolean fatal) implements PelSerializable {

  public FailureReport {
    Objects.requireNonNull(cause, "cause");
  }

  /** Classifies {@code cause} under the node's non-retryable class names. */
  public static FailureReport of(Throwable cause, List<String> nonRetryable) {
    boolean fatal = isFatal(cause);
    return new FailureReport(cause, fatal || isRetryable(cause, nonRetryable), fatal);
  }

  /** The failure a {@link CompletionException} wraps, or {@code failure} itself. */
  public static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }

  /** A failure no retry can help with, whatever its class. */
  public static FailureReport permanent(Throwable cause) {
    return new FailureReport(cause, false, false);
  }

  /** An {@link Error} other than a VM error, or a declared {@link FatalTaskException}. */
  public static boolean isFatal(Throwable cause) {
    return cause instanceof FatalTaskException || (cause instanceof Error && !(cause instanceof VirtualMachineError));
  }

  private static boolean isRetryable(Throwable cause, List<String> nonRetryable) {
    if (cause instanceof NonRetryableException) return false;
    for (Class<?> c = cause.getClass(); c != null; c = c.getSuperclass()) {
      if (nonRetryable.contains(c.getName())) return false;
    }
    return true;
  }
}
