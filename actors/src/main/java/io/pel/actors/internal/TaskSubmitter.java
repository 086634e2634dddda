package io.pel.actors.internal;

import io.pel.actors.OverloadedException;
import io.pel.actors.TaskOutcome;
import io.pel.actors.TaskType;
import io.pel.actors.UnknownTaskTypeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The one way into a node's supervisor, for the facade and for sub-tasks alike: checks the task,
 * takes an admission place, and hands it over through the {@link TaskIntake} (no message per task).
 * Thread-safe; bad input is answered on the caller's stage (or, for a {@code null} argument, thrown) and
 * never reaches an actor.
 */
public final class TaskSubmitter {

  /** The most elements one batch may hold: a batch is one message and one routee's work. */
  public static final int MAX_BATCH = 100_000;

  private final HandlerRegistry registry;
  private final Admission admission;
  private final NodeMetrics metrics;
  private final RetryPolicy retry;
  private final TaskIntake intake = new TaskIntake();
  private final ResultWait wait;
  private volatile ActorRef<WorkSupervisor.Command> supervisor;

  public TaskSubmitter(HandlerRegistry registry, Admission admission, NodeMetrics metrics, RetryPolicy retry) {
    this.registry = registry;
    this.admission = admission;
    this.metrics = metrics;
    this.retry = retry;
    this.wait = new ResultWait(admission::accepted, Runtime.getRuntime().availableProcessors(), System::nanoTime);
  }

  void attach(ActorRef<WorkSupervisor.Command> supervisor) {
    this.supervisor = supervisor;
    intake.attach(supervisor);
  }

  /** Where the supervisor takes the submitted tasks from. */
  TaskIntake intake() {
    return intake;
  }

  /**
   * Submits one task.
   *
   * @param fromTask {@code true} for a sub-task of a running task, which is accepted while the layer
   *     drains (the task that submits it was accepted before)
   */
  @SuppressWarnings("unchecked") // a result is checked against O's class on the routee
  public <I, O> CompletionStage<O> submit(TaskType<I, O> type, String shardKey, I input, boolean fromTask) {
    return (CompletionStage<O>) submitAny(type, shardKey, input, fromTask);
  }

  /** {@link #submit} of an input whose class is known only at run time (a job's stored input): checked all the same. */
  public CompletionStage<?> submitAny(TaskType<?, ?> type, String shardKey, Object input, boolean fromTask) {
    Objects.requireNonNull(type, "type");
    if (input == null) {
      throw new NullPointerException("input of task type '" + type.name() + "' is null; PEL tasks need an input");
    }
    HandlerRegistry.Registration registration = registry.find(type.name());
    RuntimeException refused = refusal(type, registration, fromTask);
    if (refused == null) refused = wrongInput(type, input, -1);
    if (refused == null) refused = admit();
    if (refused != null) return CompletableFuture.failedFuture(refused);
    return send(type.name(), shardKey, input, 0, type.idempotent());
  }

  /**
   * Submits {@code inputs} as one batch task: one message, one routee; each element runs the type's
   * handler and gets the retry policy on its own (an element that fails is retried alone).
   */
  public <I, O> CompletionStage<List<TaskOutcome<O>>> submitBatch(TaskType<I, O> type, List<? extends I> inputs) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(inputs, "inputs");
    if (inputs.size() > MAX_BATCH) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("a batch of " + inputs.size()
          + " inputs of task type '" + type.name() + "' is too large: at most " + MAX_BATCH));
    }
    List<Object> copy = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      I input = inputs.get(i);
      if (input == null) {
        throw new NullPointerException("input " + i + " of a batch of task type '" + type.name() + "' is null");
      }
      copy.add(input);
    }
    RuntimeException refused = refusal(type, registry.find(type.name()), false);
    for (int i = 0; refused == null && i < copy.size(); i++) refused = wrongInput(type, copy.get(i), i);
    if (refused != null) return CompletableFuture.failedFuture(refused);
    if (copy.isEmpty()) return CompletableFuture.completedFuture(List.of());
    refused = admit();
    if (refused != null) return CompletableFuture.failedFuture(refused);
    return new BatchCall<>(this, type, copy, retry).start(send(type.name(), null, new Batch(copy), 0, type.idempotent()));
  }

  /**
   * Runs an element of an accepted batch again, alone: it has used {@code priorFailures} attempts (so,
   * if any, it waits the retry policy's backoff first, as any retried task does).
   */
  TaskFuture resubmit(TaskType<?, ?> type, Object input, int priorFailures) {
    admission.acquire();
    return send(type.name(), null, input, priorFailures, type.idempotent());
  }

  private TaskFuture send(String type, String shardKey, Object payload, int priorFailures, boolean idempotent) {
    metrics.submitted.increment();
    TaskFuture result = new TaskFuture(supervisor, wait);
    intake.offer(new TaskIntake.Submission(type, shardKey, payload, result, priorFailures, idempotent));
    return result;
  }

  private RuntimeException refusal(TaskType<?, ?> type, HandlerRegistry.Registration registration, boolean fromTask) {
    if (registration == null) return new UnknownTaskTypeException(type.name(), registry.names());
    if (!registration.type().equals(type)) {
      return new IllegalArgumentException(
          "task type '" + type.name() + "' is registered as " + registration.type() + ", submitted as " + type);
    }
    if (!fromTask && admission.isClosing()) return new IllegalStateException("the execution layer is closed");
    return null;
  }

  private static RuntimeException wrongInput(TaskType<?, ?> type, Object input, int index) {
    if (type.inputType().isInstance(input) && !(input instanceof Batch)) return null;
    String which = index < 0 ? "input" : "input " + index + " of the batch";
    return new IllegalArgumentException(which + " of task type " + type + " must be a "
        + type.inputType().getName() + ", not a " + input.getClass().getName());
  }

  private RuntimeException admit() {
    if (admission.tryAcquire()) return null;
    metrics.rejected.increment();
    return new OverloadedException(admission.limit());
  }
}
