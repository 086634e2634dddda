package io.pel.streams.internal;

import java.util.concurrent.CompletionException;

/** How the stages read the failure of a task's completion stage. */
final class Completions {

  private Completions() {}

  /**
   * The failure itself: a stage derived from a task's (by {@code thenApply}, say) fails with a {@link
   * CompletionException} around it, and the stream should fail with what the task failed with.
   */
  static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }
}
