package io.pel.actors.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A supervisor's routees: every one it tracks (the retiring ones included, whose answers it still
 * awaits), the active ones it routes to, and the attempts held for routees on other nodes until they
 * leave together. Owned by the supervisor actor and touched only in its handlers.
 */
final class RouteeTable {

  /** Attempts for one remote routee that leave at once, without waiting for the flush. */
  private static final int MAX_OUTBOX = 256;

  private final Map<ActorRef<Worker.Command>, RouteeState> known = new LinkedHashMap<>();
  private final List<RouteeState> active = new ArrayList<>();
  /** Remote routees with attempts in their outbox. */
  private final List<RouteeState> unsent = new ArrayList<>();
  private final ActorRef<WorkSupervisor.Command> supervisor;
  private final NodeMetrics metrics;
  private final int localCap;
  private final int remoteCap;

  RouteeTable(ActorRef<WorkSupervisor.Command> supervisor, NodeMetrics metrics, int localCap, int remoteCap) {
    this.supervisor = supervisor;
    this.metrics = metrics;
    this.localCap = localCap;
    this.remoteCap = remoteCap;
  }

  /** The routee of {@code ref}, active or retiring; null if unknown or removed. */
  RouteeState get(ActorRef<Worker.Command> ref) {
    return known.get(ref);
  }

  /** The routees new attempts may go to. */
  List<RouteeState> active() {
    return active;
  }

  Collection<RouteeState> all() {
    return List.copyOf(known.values());
  }

  /** The least busy routee with room other than {@code current}, preferring one on another node. */
  RouteeState leastBusyElsewhere(RouteeState current) {
    RouteeState best = null;
    boolean bestElsewhere = false;
    for (RouteeState r : active) {
      if (r == current || r.outstanding >= r.cap) continue;
      boolean otherNode = current == null || !r.ref.path().address().equals(current.ref.path().address());
      if (best == null || (otherNode && !bestElsewhere) || (otherNode == bestElsewhere && r.outstanding < best.outstanding)) {
        best = r;
        bestElsewhere = otherNode;
      }
    }
    return best;
  }

  /** Adds {@code ref} and returns its state, or null if it is already known. */
  RouteeState add(ActorRef<Worker.Command> ref, String name) {
    if (known.containsKey(ref)) return null;
    boolean local = ref.path().address().hasLocalScope();
    RouteeState routee = new RouteeState(ref, name, local, local ? localCap : remoteCap);
    known.put(ref, routee);
    active.add(routee);
    metrics.routees = active.size();
    return routee;
  }

  /** Stops routing to {@code routee}, sending what it holds first; {@code false} if it was retired already. */
  boolean retire(RouteeState routee) {
    if (routee.retiring) return false;
    routee.retiring = true;
    active.remove(routee);
    metrics.routees = active.size();
    flush(routee);
    unsent.remove(routee);
    return true;
  }

  /** Forgets {@code routee}; attempts held for it are dropped (they are re-dispatched by the caller). */
  void remove(RouteeState routee) {
    known.remove(routee.ref);
    active.remove(routee);
    unsent.remove(routee);
    routee.outbox.clear();
    metrics.routees = active.size();
  }

  /**
   * Sends {@code attempt} at once to a routee of this node; holds it for a remote one. {@code true} when
   * attempts are held and the caller must arrange a {@link #flushAll} (after the messages already in
   * its mailbox, so that what they dispatch leaves together).
   */
  boolean send(RouteeState routee, Task attempt) {
    if (routee.local) {
      routee.ref.tell(new Worker.Run(attempt, supervisor));
      return false;
    }
    if (routee.outbox.isEmpty()) unsent.add(routee);
    routee.outbox.add(attempt);
    if (routee.outbox.size() >= MAX_OUTBOX) {
      flush(routee);
      unsent.remove(routee);
    }
    return !unsent.isEmpty();
  }

  void flushAll() {
    for (RouteeState routee : unsent) flush(routee);
    unsent.clear();
  }

  private void flush(RouteeState routee) {
    List<Task> out = routee.outbox;
    if (out.size() == 1) routee.ref.tell(new Worker.Run(out.get(0), supervisor));
    else if (!out.isEmpty()) routee.ref.tell(new Worker.RunAll(List.copyOf(out), supervisor));
    out.clear();
  }
}
