package io.pel.actors.internal;

import io.pel.actors.TaskContext;
import io.pel.actors.TaskType;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/** The {@link TaskContext} of one attempt on one routee. */
final class RunningTask implements TaskContext {

  private final Task task;
  private final String routee;
  private final TaskSubmitter submitter;
  private final Executor workerExecutor;

  RunningTask(Task task, String routee, TaskSubmitter submitter, Executor workerExecutor) {
    this.task = task;
    this.routee = routee;
    this.submitter = submitter;
    this.workerExecutor = workerExecutor;
  }

  @Override
  public String taskId() {
    return task.id().toString();
  }

  @Override
  public int attempt() {
    return task.attempt();
  }

  @Override
  public String routee() {
    return routee;
  }

  @Override
  public <I, O> CompletionStage<O> submit(TaskType<I, O> type, I input) {
    return submit(type, null, input);
  }

  @Override
  public <I, O> CompletionStage<O> submit(TaskType<I, O> type, String shardKey, I input) {
    // Continuations of a sub-task run on the worker dispatcher, never on the supervisor's thread.
    return submitter.submit(type, shardKey, input, true).whenCompleteAsync((r, e) -> {}, workerExecutor);
  }
}
