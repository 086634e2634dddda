package io.pel.actors;

/**
 * What became of one element of a batch: its result, or the failure that ended it for good.
 *
 * @param result the handler's result (may be {@code null} for a {@code Void} task type); {@code null} when
 *     failed
 * @param failure {@code null} when the element succeeded; otherwise a {@link TaskFailedException}, or
 *     the exception that stopped the whole batch (such as {@link IllegalStateException} when the layer
 *     stopped first)
 */
public record TaskOutcome<O>(O result, Throwable failure) {

  /** An element that succeeded with {@code result}. */
  public static <O> TaskOutcome<O> success(O result) {
    return new TaskOutcome<>(result, null);
  }

  /** An element that failed for good with {@code failure}. */
  public static <O> TaskOutcome<O> failure(Throwable failure) {
    return new TaskOutcome<>(null, java.util.Objects.requireNonNull(failure, "failure"));
  }

  /** Whether the element succeeded. */
  public boolean succeeded() {
    return failure == null;
  }
}
