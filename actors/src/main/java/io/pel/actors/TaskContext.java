package io.pel.actors;

import java.util.concurrent.CompletionStage;

/**
 * What a running handler knows of its task, and how it fans out.
 *
 * <p>A context is valid for the one attempt it was given to; do not keep it beyond.
 */
public interface TaskContext {

  /** The task's id, unique across the cluster; the same on every attempt. */
  String taskId();

  /** The attempt being run: 1 for the first, higher for retries and re-dispatches. */
  int attempt();

  /** The name of the routee running this attempt (its actor path), for logs and diagnostics. */
  String routee();

  /**
   * Submits a sub-task to this node's supervisor. Its stage completes on PEL's worker dispatcher, so
   * combining results with {@code thenCombine} or {@code allOf} runs there, not on the supervisor.
   * Sub-tasks count against this node's admission limit and fail with {@link OverloadedException} past it.
   */
  <I, O> CompletionStage<O> submit(TaskType<I, O> type, I input);

  /** As {@link #submit(TaskType, Object)}, routed by {@code shardKey}. */
  <I, O> CompletionStage<O> submit(TaskType<I, O> type, String shardKey, I input);
}
