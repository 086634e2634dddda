package io.pel.actors;

import java.util.concurrent.CompletionStage;

/**
 * Asynchronous handler of a {@link TaskType}: returns at once with a stage that completes later.
 *
 * <p>The routee is free while the stage is pending, so a handler that fans out sub-tasks through {@link
 * TaskContext#submit} and combines their results holds no worker while it waits. The stage completing
 * exceptionally fails the attempt exactly as a thrown exception does. Returning a {@code null} stage fails
 * the task (without retry) with a message naming the task type; a stage completing with {@code null} is a
 * {@code null} result.
 */
@FunctionalInterface
public interface AsyncTaskHandler<I, O> {

  /** Starts one task and returns the stage of its result. */
  CompletionStage<O> apply(I input, TaskContext context) throws Exception;
}
