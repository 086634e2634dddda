package io.pel.actors.internal;

import io.pel.actors.OverloadedException;
import io.pel.actors.TaskType;
import io.pel.actors.UnknownTaskTypeException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The one way into a node's supervisor, for the facade and for sub-tasks alike: checks the task,
 * takes an admission place, and hands it over. Thread-safe; bad input is answered on the caller's stage
 * (or, for a {@code null} argument, thrown) and never reaches an actor.
 */
public final class TaskSubmitter {

  private final HandlerRegistry registry;
  private final Admission admission;
  private final NodeMetrics metrics;
  private volatile ActorRef<WorkSupervisor.Command> supervisor;

  public TaskSubmitter(HandlerRegistry registry, Admission admission, NodeMetrics metrics) {
    this.registry = registry;
    this.admission = admission;
    this.metrics = metrics;
  }

  void attach(ActorRef<WorkSupervisor.Command> supervisor) {
    this.supervisor = supervisor;
  }

  /**
   * Submits one task.
   *
   * @param fromTask {@code true} for a sub-task of a running task, which is accepted while the layer
   *     drains (the task that submits it was accepted before)
   */
  @SuppressWarnings("unchecked")
  public <I, O> CompletionStage<O> submit(TaskType<I, O> type, String shardKey, I input, boolean fromTask) {
    Objects.requireNonNull(type, "type");
    if (input == null) {
      throw new NullPointerException("input of task type '" + type.name() + "' is null; PEL tasks need an input");
    }
    HandlerRegistry.Registration registration = registry.find(type.name());
    if (registration == null) {
      return CompletableFuture.failedFuture(new UnknownTaskTypeException(type.name(), registry.names()));
    }
    if (!registration.type().equals(type)) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          "task type '" + type.name() + "' is registered as " + registration.type() + ", submitted as " + type));
    }
    if (!type.inputType().isInstance(input)) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("input of task type " + type
          + " must be a " + type.inputType().getName() + ", not a " + input.getClass().getName()));
    }
    if (!fromTask && admission.isClosing()) {
      return CompletableFuture.failedFuture(new IllegalStateException("the execution layer is closed"));
    }
    if (!admission.tryAcquire()) {
      metrics.rejected.increment();
      return CompletableFuture.failedFuture(new OverloadedException(admission.limit()));
    }
    metrics.submitted.increment();
    CompletableFuture<Object> result = new CompletableFuture<>();
    supervisor.tell(new WorkSupervisor.Submit(type.name(), shardKey, input, result));
    return (CompletionStage<O>) result;
  }
}
