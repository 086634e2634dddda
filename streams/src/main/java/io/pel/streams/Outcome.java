package io.pel.streams;

import io.pel.actors.TaskFailedException;

/**
 * An element of a {@link ParallelFlow} with what became of it: the input, and either its result or the
 * failure that ended it for good. Emitted by {@link ParallelFlow#outcomes()}, so a pipeline keeps every
 * bad element and the reason next to the good ones.
 *
 * @param input the element as it came from upstream
 * @param result the task's result; {@code null} when it failed (or when a {@code Void} task returned none)
 * @param failure {@code null} on success; usually a {@link TaskFailedException} naming the task and its
 *     attempts, or the {@link IllegalArgumentException} that refused the input
 */
public record Outcome<I, O>(I input, O result, Throwable failure) {

  /** Whether the element's task succeeded. */
  public boolean succeeded() {
    return failure == null;
  }
}
