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
 * leave together. Those are cut by size as well as by count: each payload is written ahead ({@link
 * WireValues}) and a message leaves before it would outgrow half the largest message, so that a thousand
 * large payloads cross in several messages instead of failing in one. Owned by the supervisor actor and
 * touched only in its handlers.
 */
final class RouteeTable {

  /**
   * Attempts for one remote routee that leave at once, without waiting for the flush: as many as one
   * message to a routee of this node takes. Messages of 256 made the cross-JVM path pay Artery's work per
   * message four times as often (0.56x in-JVM submit, against 0.60-0.64x with 1,024).
   */
  private static final int MAX_OUTBOX = RouteeState.MAX_PER_MESSAGE;

  private final Map<ActorRef<Worker.Command>, RouteeState> known = new LinkedHashMap<>();
  private final List<RouteeState> active = new ArrayList<>();
  /** Attempts for remote routees, waiting to leave together. */
  private final Outbox<RouteeState, Task> outbox;
  private final ActorRef<WorkSupervisor.Command> supervisor;
  private final NodeMetrics metrics;
  private final int localCap;
  private final int remoteCap;
  private final WireValues wire;

  /** @param localCap attempts a routee of this node (remoteCap: of another) may hold, or 0 for {@link RouteeState#cap}'s own rule */
  RouteeTable(ActorRef<WorkSupervisor.Command> supervisor, NodeMetrics metrics, int localCap, int remoteCap, WireValues wire) {
    this.supervisor = supervisor;
    this.metrics = metrics;
    this.localCap = localCap;
    this.remoteCap = remoteCap;
    this.wire = wire;
    this.outbox = new Outbox<>(MAX_OUTBOX, wire.budget(), this::deliver);
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

  /**
   * An idle routee (nothing outstanding) other than {@code current}, preferring one on another node; null if
   * none. A speculative duplicate only takes spare capacity: it never queues behind, or delays, real work.
   */
  RouteeState idleElsewhere(RouteeState current) {
    RouteeState best = null;
    for (RouteeState r : active) {
      if (r == current || r.outstanding > 0) continue;
      boolean otherNode = current == null || !r.ref.path().address().equals(current.ref.path().address());
      if (otherNode) return r;
      if (best == null) best = r;
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
    outbox.flush(routee);
    return true;
  }

  /** Forgets {@code routee}; attempts held for it are dropped (they are re-dispatched by the caller). */
  void remove(RouteeState routee) {
    known.remove(routee.ref);
    active.remove(routee);
    outbox.drop(routee);
    metrics.routees = active.size();
  }

  /**
   * Sends {@code attempts} at once, in one message, to a routee of this node; holds them for a remote one
   * (or for any, while {@code serialize-messages} is on: for whatever routee the message will be serialized).
   * {@code true} when attempts are held and the caller must arrange a {@link #flushAll} (after the
   * messages already in its mailbox, so that what they dispatch leaves together).
   */
  boolean send(RouteeState routee, List<Task> attempts) {
    if (!wire.serialized(routee.ref)) {
      deliver(routee, attempts);
      return false;
    }
    boolean held = false;
    for (Task attempt : attempts) {
      // The written payload travels in this message only: the task's record keeps the value, for a retry elsewhere.
      Object payload = wire.ahead(attempt.payload());
      Task sent = payload == attempt.payload() ? attempt
          : new Task(attempt.id(), attempt.type(), attempt.shardKey(), payload, attempt.attempt());
      held = outbox.add(routee, sent, WireValues.weight(payload));
    }
    return held;
  }

  void flushAll() {
    outbox.flush();
  }

  private void deliver(RouteeState routee, List<Task> attempts) {
    if (attempts.size() == 1) routee.ref.tell(new Worker.Run(attempts.get(0), supervisor));
    else routee.ref.tell(new Worker.RunAll(attempts, supervisor));
  }
}
