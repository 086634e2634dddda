package io.pel.actors.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The caller's side of one accepted task: completed for the supervisor by its {@link CompletionRelay}
 * (never on the supervisor's own thread), and cancellable by the caller.
 *
 * <p>{@link #cancel} completes the future at once and tells the supervisor, which forgets the task: a
 * pending task never runs, a running one's result is dropped when it comes, and one still in the intake
 * is dropped when the supervisor takes it in. Only the supervisor writes {@link #seq}, and only the
 * supervisor reads it (when the cancellation reaches it through its mailbox).
 *
 * <p>A thread that blocks on it ({@link #get}, {@link #join}) first spins briefly if its {@link ResultWait}
 * says the result is near, then waits as any {@link CompletableFuture} does.
 */
public final class TaskFuture extends CompletableFuture<Object> {

  private final ActorRef<WorkSupervisor.Command> supervisor;
  private final ResultWait wait;
  long seq;

  /** A future that never spins (for tests of the parts). */
  TaskFuture(ActorRef<WorkSupervisor.Command> supervisor) {
    this(supervisor, ResultWait.NEVER);
  }

  TaskFuture(ActorRef<WorkSupervisor.Command> supervisor, ResultWait wait) {
    this.supervisor = supervisor;
    this.wait = wait;
  }

  @Override
  public Object get() throws InterruptedException, ExecutionException {
    spinFor(Long.MAX_VALUE);
    return super.get();
  }

  @Override
  public Object get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
    long nanos = unit.toNanos(timeout);
    return super.get(Math.max(0, nanos - spinFor(nanos)), TimeUnit.NANOSECONDS);
  }

  @Override
  public Object join() {
    spinFor(Long.MAX_VALUE);
    return super.join();
  }

  /** Spins at most {@code maxNanos} for the result, if it is not there and its wait says so; the nanoseconds spent. */
  private long spinFor(long maxNanos) {
    return isDone() ? 0 : wait.spinUntil(this::isDone, maxNanos);
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) supervisor.tell(new WorkSupervisor.Cancel(this));
    return cancelled;
  }
}
