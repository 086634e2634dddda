package io.pel.actors.internal;

import io.pel.actors.TaskFailedException;
import io.pel.actors.TaskOutcome;
import io.pel.actors.TaskType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One submitted batch, from the caller's side: the batch task's answer is split into per-element
 * outcomes, and elements that failed retryably (or never ran) go back to the supervisor alone, each with
 * the attempts it has left. The caller's stage completes when every element has its outcome.
 *
 * <p>Whether an element runs again is the node's one {@link RetryPolicy}'s decision, as for any task,
 * and the supervisor waits its backoff before the element's next attempt.
 *
 * <p>Callbacks run on whichever thread completes the tasks (the completion relay's); each element's slot is
 * written once, before the countdown that publishes it. Cancelling the caller's stage cancels the batch
 * task and every element still running alone.
 */
final class BatchCall<I, O> {

  private final TaskSubmitter submitter;
  private final TaskType<I, O> type;
  private final List<Object> inputs;
  private final RetryPolicy retry;
  private final Object[] outcomes;
  private final AtomicInteger remaining;
  private final List<TaskFuture> running = new ArrayList<>();
  private final CompletableFuture<List<TaskOutcome<O>>> result = new CompletableFuture<>() {
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) cancelRunning();
      return cancelled;
    }
  };

  BatchCall(TaskSubmitter submitter, TaskType<I, O> type, List<Object> inputs, RetryPolicy retry) {
    this.submitter = submitter;
    this.type = type;
    this.inputs = inputs;
    this.retry = retry;
    this.outcomes = new Object[inputs.size()];
    this.remaining = new AtomicInteger(inputs.size());
  }

  CompletionStage<List<TaskOutcome<O>>> start(TaskFuture batch) {
    track(batch);
    batch.whenComplete(this::onBatchDone);
    return result;
  }

  private void onBatchDone(Object answer, Throwable failure) {
    if (failure != null) {
      Throwable cause = FailureReport.unwrap(failure);
      if (!(cause instanceof CancellationException)) {
        for (int i = 0; i < outcomes.length; i++) settle(i, TaskOutcome.failure(cause));
      }
      return;
    }
    Batch.Result answered = (Batch.Result) answer;
    for (int i = 0; i < outcomes.length; i++) {
      FailureReport report = i < answered.ran() ? answered.failures().get(i) : null;
      if (i >= answered.ran()) {
        alone(i, 0);
      } else if (report == null) {
        settle(i, TaskOutcome.success(answered.results().get(i)));
      } else if (retry.retries(1, report.retryable())) {
        alone(i, 1);
      } else {
        settle(i, TaskOutcome.failure(
            new TaskFailedException(answered.taskId() + "#" + i, type.name(), 1, report.cause())));
      }
    }
  }

  private void alone(int index, int priorFailures) {
    if (result.isDone()) return;
    TaskFuture element = submitter.resubmit(type, inputs.get(index), priorFailures);
    track(element);
    element.whenComplete((value, failure) -> {
      if (failure instanceof CancellationException) return;
      settle(index, failure == null ? TaskOutcome.success(value) : TaskOutcome.failure(failure));
    });
  }

  private void track(TaskFuture task) {
    synchronized (running) {
      running.add(task);
    }
    if (result.isCancelled()) task.cancel(false);
  }

  private void cancelRunning() {
    List<TaskFuture> tasks;
    synchronized (running) {
      tasks = List.copyOf(running);
    }
    for (TaskFuture task : tasks) task.cancel(false);
  }

  @SuppressWarnings("unchecked")
  private void settle(int index, TaskOutcome<?> outcome) {
    outcomes[index] = outcome;
    if (remaining.decrementAndGet() == 0) {
      result.complete((List<TaskOutcome<O>>) (List<?>) Arrays.asList(outcomes));
    }
  }
}
