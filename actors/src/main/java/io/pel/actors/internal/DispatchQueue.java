package io.pel.actors.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * The tasks waiting for a routee, and how they leave: in batches, one message per routee and batch.
 * Owned by the supervisor actor and touched only in its handlers.
 *
 * <p>A batch forms by itself: tasks wait here only while every routee is full, so on an idle layer a
 * task leaves alone at once, and under load the tasks that queued up while a routee worked leave
 * together the moment it has room again, up to the size whose work makes a message's cost a few per cent
 * ({@link RouteeState#batchLimit}). A burst that finds several routees with room is shared among them.
 * Unkeyed tasks go where the routing strategy says, one decision per batch; a keyed task waits, in
 * order, in its home routee's own queue ({@link RouteeState#parked}), so per-key order holds.
 */
final class DispatchQueue {

  /** How a batch is handed to a routee (the supervisor's bookkeeping and the message). */
  interface Sender {
    /** Sends {@code batch} (never empty; not kept after the call) to {@code routee}. */
    void send(RouteeState routee, List<TaskRecord> batch);
  }

  private final ArrayDeque<TaskRecord> pending = new ArrayDeque<>();
  /**
   * The tasks of blocking types, waiting apart: they run on the routees' blocking pools and have room of
   * their own there, so a backlog of them never stands in front of CPU-bound tasks, nor the reverse.
   */
  private final ArrayDeque<TaskRecord> pooledPending = new ArrayDeque<>();
  private final RoutingStrategy routing;
  private final Sender sender;
  private final List<RouteeState> candidates = new ArrayList<>();
  private final List<RouteeState> touched = new ArrayList<>();
  private final List<TaskRecord> batch = new ArrayList<>();
  private final Function<String, RouteeState.Handling> handling;
  /** The last type asked about and its answer: one type at a time is the common case, and costs no lookup. */
  private String lastType;
  private RouteeState.Handling lastHandling;

  /**
   * @param handling how a routee runs the attempts of a type: one after the other (a synchronous handler),
   *     so that only what it runs and what it takes next should be bound to it, overlapping, or on its
   *     node's blocking pool
   */
  DispatchQueue(RoutingStrategy routing, Sender sender, Function<String, RouteeState.Handling> handling) {
    this.routing = routing;
    this.sender = sender;
    this.handling = handling;
  }

  private RouteeState.Handling handling(String type) {
    if (!type.equals(lastType)) {
      lastHandling = handling.apply(type);
      lastType = type;
    }
    return lastHandling;
  }

  /** Attempts of {@code task}'s lane that {@code routee} may take now. */
  private int room(RouteeState routee, TaskRecord task) {
    return routee.cap(task.type, handling(task.type)) - routee.inFlight(task.pooled);
  }

  /** A new task, behind the others. */
  void add(TaskRecord task) {
    lane(task).addLast(task);
  }

  /** A task that had started already (re-dispatched or retried): ahead of the others. */
  void addFirst(TaskRecord task) {
    lane(task).addFirst(task);
  }

  /** Tasks that waited for a routee now gone, behind the others, in their order. */
  void addAll(Collection<TaskRecord> tasks) {
    for (TaskRecord task : tasks) add(task);
  }

  /** The queue {@code task} waits in, by how its type runs now (which it remembers for its routee's count). */
  private ArrayDeque<TaskRecord> lane(TaskRecord task) {
    task.pooled = handling(task.type) == RouteeState.Handling.POOLED;
    return task.pooled ? pooledPending : pending;
  }

  /** Tasks waiting for any routee (not counting those parked at their home routee). */
  int size() {
    return pending.size() + pooledPending.size();
  }

  /** Sends what waits to the {@code active} routees that have room, in batches: each lane on its own. */
  void dispatch(List<RouteeState> active) {
    lastType = null; // asked again once a round: a type found blocking changes its answer while tasks run
    if (active.isEmpty()) return;
    dispatch(pending, active);
    dispatch(pooledPending, active);
    for (RouteeState home : touched) resume(home);
    touched.clear();
  }

  private void dispatch(ArrayDeque<TaskRecord> lane, List<RouteeState> active) {
    if (lane.isEmpty()) return;
    int share = share(lane, active);
    while (!lane.isEmpty()) {
      TaskRecord head = lane.peekFirst();
      if (head.state != TaskRecord.State.PENDING) {
        lane.pollFirst();
        continue;
      }
      if (head.shardKey != null) {
        lane.pollFirst();
        RouteeState home = Rendezvous.pick(head.keyHash, active, head.avoid);
        home.parked.addLast(head);
        if (!touched.contains(home)) touched.add(home);
        continue;
      }
      RouteeState chosen = choose(head, active);
      if (chosen == null) break;
      int limit = Math.min(Math.min(room(chosen, head), chosen.batchLimit(head.type)), share);
      batch.clear();
      while (batch.size() < limit && !lane.isEmpty()) {
        TaskRecord task = lane.peekFirst();
        if (task.state != TaskRecord.State.PENDING) {
          lane.pollFirst();
          continue;
        }
        if (task.shardKey != null || (task.avoid == chosen && !batch.isEmpty())) break;
        batch.add(lane.pollFirst());
      }
      sender.send(chosen, batch);
    }
  }

  /** Sends {@code routee}'s parked keyed tasks, in order and in batches, while it has room. */
  void resume(RouteeState routee) {
    while (!routee.parked.isEmpty()) {
      TaskRecord first = routee.parked.peekFirst();
      if (first.state != TaskRecord.State.PENDING) {
        routee.parked.pollFirst();
        continue;
      }
      int room = room(routee, first);
      if (room <= 0) return;
      int limit = Math.min(room, routee.batchLimit(first.type));
      batch.clear();
      while (batch.size() < limit && !routee.parked.isEmpty()) {
        TaskRecord task = routee.parked.pollFirst();
        if (task.state == TaskRecord.State.PENDING) batch.add(task);
      }
      if (!batch.isEmpty()) sender.send(routee, batch);
    }
  }

  /** How many of the waiting tasks one batch takes: an even share among the routees with room now. */
  private int share(ArrayDeque<TaskRecord> lane, List<RouteeState> active) {
    TaskRecord head = lane.peekFirst();
    int withRoom = 0;
    for (RouteeState r : active) {
      if (room(r, head) > 0) withRoom++;
    }
    return Math.max(1, (lane.size() + Math.max(1, withRoom) - 1) / Math.max(1, withRoom));
  }

  /** A routee with room for {@code task}, by the routing strategy; one it failed on only if no other has room. */
  private RouteeState choose(TaskRecord task, List<RouteeState> active) {
    candidates.clear();
    boolean avoidFree = false;
    for (RouteeState r : active) {
      if (room(r, task) <= 0) continue;
      if (r == task.avoid) avoidFree = true;
      else candidates.add(r);
    }
    if (candidates.isEmpty()) return avoidFree ? task.avoid : null;
    return routing.select(task, candidates);
  }
}
