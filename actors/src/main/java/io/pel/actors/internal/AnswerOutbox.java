package io.pel.actors.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A routee's answers on their way to supervisors. An answer to a supervisor of this node goes at once; one
 * to a supervisor on another node waits here until the routee has taken in what its mailbox already
 * holds, then leaves with the others for the same supervisor in one message, so that cross-node tasks do
 * not pay one network message each.
 *
 * <p>Owned by one routee incarnation and touched only in its message handlers. An answer counts as
 * running work of the node ({@code running}) until it has been handed to Pekko.
 */
final class AnswerOutbox {

  /** Held answers for one supervisor that leave at once, without waiting for the flush. */
  private static final int MAX_HELD = 512;

  private final ActorRef<Worker.Command> routee;
  private final LongAdder running;
  private final Map<ActorRef<WorkSupervisor.Command>, List<WorkSupervisor.Answered>> held = new HashMap<>();

  AnswerOutbox(ActorRef<Worker.Command> routee, LongAdder running) {
    this.routee = routee;
    this.running = running;
  }

  /** Sends or holds {@code answer}; {@code true} while answers are held, waiting for a {@link #flush}. */
  boolean send(ActorRef<WorkSupervisor.Command> supervisor, WorkSupervisor.Answered answer) {
    if (supervisor.path().address().hasLocalScope()) {
      supervisor.tell(new WorkSupervisor.AttemptsAnswered(routee, List.of(answer)));
      running.decrement();
      return false;
    }
    List<WorkSupervisor.Answered> answers = held.computeIfAbsent(supervisor, s -> new ArrayList<>());
    answers.add(answer);
    if (answers.size() >= MAX_HELD) {
      held.remove(supervisor);
      deliver(supervisor, answers);
    }
    return !held.isEmpty();
  }

  /** Sends every held answer. */
  void flush() {
    if (held.isEmpty()) return;
    held.forEach(this::deliver);
    held.clear();
  }

  private void deliver(ActorRef<WorkSupervisor.Command> supervisor, List<WorkSupervisor.Answered> answers) {
    supervisor.tell(new WorkSupervisor.AttemptsAnswered(routee, answers));
    running.add(-answers.size());
  }
}
