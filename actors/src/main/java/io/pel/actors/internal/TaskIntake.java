package io.pel.actors.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Where callers hand tasks to their node's supervisor without a message per task: any thread {@link
 * #offer}s; the supervisor takes them in bulk when it gets to them. A message ({@link
 * WorkSupervisor.DrainIntake}) is sent only when the intake goes from idle to not, so under load one
 * message brings in everything that arrived meanwhile, and on an idle layer a task costs one message, as
 * a plain {@code tell} would.
 *
 * <p>The supervisor clears the scheduled flag before it drains: a caller that offers after the drain's
 * last poll finds the flag clear and sends a new message; one that found it set offered before the
 * drain began, so the drain takes its task. The queue keeps each caller's order.
 */
final class TaskIntake {

  /**
   * One task on its way in. Local only; it never crosses the wire.
   *
   * @param priorFailures attempts already spent (an element retried after failing inside its batch): the
   *     task then waits the retry policy's backoff before it runs
   */
  record Submission(String type, String shardKey, Object payload, TaskFuture result, int priorFailures, boolean idempotent) {}

  private final ConcurrentLinkedQueue<Submission> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private volatile ActorRef<WorkSupervisor.Command> supervisor;

  void attach(ActorRef<WorkSupervisor.Command> supervisor) {
    this.supervisor = supervisor;
  }

  /** Any thread: hands {@code submission} to the supervisor. */
  void offer(Submission submission) {
    queue.offer(submission);
    if (!scheduled.get() && scheduled.compareAndSet(false, true)) supervisor.tell(WorkSupervisor.DrainIntake.INSTANCE);
  }

  /** The supervisor, before it drains: later offers send a new message. */
  void draining() {
    scheduled.set(false);
  }

  /** The supervisor: the next submission, or {@code null}. */
  Submission poll() {
    return queue.poll();
  }

  /** The supervisor, when it stops draining with submissions left: it comes back for them. */
  void drainAgain(ActorRef<WorkSupervisor.Command> self) {
    if (scheduled.compareAndSet(false, true)) self.tell(WorkSupervisor.DrainIntake.INSTANCE);
  }
}
