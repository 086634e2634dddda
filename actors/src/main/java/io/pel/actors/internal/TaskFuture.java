package io.pel.actors.internal;

import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The caller's side of one accepted task: completed for the supervisor by its {@link CompletionRelay}
 * (never on the supervisor's own thread), and cancellable by the caller.
 *
 * <p>{@link #cancel} completes the future at once and tells the supervisor, which forgets the task: a
 * pending task never runs, a running one's result is dropped when it comes, and one still in the intake
 * is dropped when the supervisor takes it in. Only the supervisor writes {@link #seq}, and only the
 * supervisor reads it (when the cancellation reaches it through its mailbox).
 */
public final class TaskFuture extends CompletableFuture<Object> {

  private final ActorRef<WorkSupervisor.Command> supervisor;
  long seq;

  TaskFuture(ActorRef<WorkSupervisor.Command> supervisor) {
    this.supervisor = supervisor;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) supervisor.tell(new WorkSupervisor.Cancel(this));
    return cancelled;
  }
}
