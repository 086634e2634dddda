package io.pel.actors.internal;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A routee's answers on their way to supervisors. An answer to a supervisor of this node goes at once,
 * unless its attempt came in a batch ({@link Worker.RunAll}): then it waits for the batch's others and
 * they leave together. One to a supervisor on another node always waits in an {@link Outbox} and leaves
 * with the others for the same supervisor in one message, so that cross-node tasks do not pay one network
 * message each.
 *
 * <p>A message of held answers that will be serialized is also cut by size ({@link WireValues}): their
 * results are written ahead, and a message leaves before it would outgrow half the largest message, so
 * that a batch of large results crosses in several messages and none of them fails for its neighbours.
 *
 * <p>Owned by one routee incarnation and touched only in its message handlers. An answer counts as
 * running work of the node ({@code running}) until it has been handed to Pekko.
 */
final class AnswerOutbox {

  /** Held answers for one supervisor that leave at once, without waiting for the flush: as many as attempts come in one message. */
  private static final int MAX_HELD = RouteeState.MAX_PER_MESSAGE;

  private final ActorRef<Worker.Command> routee;
  private final LongAdder running;
  private final WireValues wire;
  private final Outbox<ActorRef<WorkSupervisor.Command>, WorkSupervisor.Answered> held;
  /** The supervisor of the last answer, and what is known of it: a path's address is walked from its root. */
  private ActorRef<WorkSupervisor.Command> last;
  private boolean lastLocal;
  private boolean lastSerialized;

  AnswerOutbox(ActorRef<Worker.Command> routee, LongAdder running, WireValues wire) {
    this.routee = routee;
    this.running = running;
    this.wire = wire;
    this.held = new Outbox<>(MAX_HELD, wire.budget(), this::deliver);
  }

  /**
   * Sends or holds {@code answer}; {@code hold} keeps even one for this node's supervisor (it came in a
   * batch). {@code true} while answers are held, waiting for a {@link #flush}.
   */
  boolean send(ActorRef<WorkSupervisor.Command> supervisor, WorkSupervisor.Answered answer, boolean hold) {
    if (supervisor != last) {
      last = supervisor;
      lastLocal = supervisor.path().address().hasLocalScope();
      lastSerialized = wire.serialized(supervisor);
    }
    if (!hold && lastLocal) {
      deliver(supervisor, List.of(answer));
      return false;
    }
    if (!lastSerialized) return held.add(supervisor, answer);
    Object result = wire.ahead(answer.result());
    var written = result == answer.result() ? answer
        : new WorkSupervisor.Answered(answer.id(), answer.attempt(), result, answer.failure(), answer.serviceNanos());
    return held.add(supervisor, written, WireValues.weight(result));
  }

  /** Sends every held answer. */
  void flush() {
    held.flush();
  }

  /** Sends the answers held for {@code supervisor}. */
  void flush(ActorRef<WorkSupervisor.Command> supervisor) {
    held.flush(supervisor);
  }

  private void deliver(ActorRef<WorkSupervisor.Command> supervisor, List<WorkSupervisor.Answered> answers) {
    supervisor.tell(new WorkSupervisor.AttemptsAnswered(routee, answers));
    running.add(-answers.size());
  }
}
