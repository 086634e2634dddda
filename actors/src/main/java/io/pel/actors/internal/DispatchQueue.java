package io.pel.actors.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

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
  private final RoutingStrategy routing;
  private final Sender sender;
  private final List<RouteeState> candidates = new ArrayList<>();
  private final List<RouteeState> touched = new ArrayList<>();
  private final List<TaskRecord> batch = new ArrayList<>();
  private final Predicate<String> oneAtATime;
  /** The last type asked about and its answer: one type at a time is the common case, and costs no lookup. */
  private String lastType;
  private boolean lastOneAtATime;

  /**
   * @param oneAtATime whether a routee runs the attempts of a type one after the other (a synchronous
   *     handler), so that only what it runs and what it takes next should be bound to it
   */
  DispatchQueue(RoutingStrategy routing, Sender sender, Predicate<String> oneAtATime) {
    this.routing = routing;
    this.sender = sender;
    this.oneAtATime = oneAtATime;
  }

  private int cap(RouteeState routee, String type) {
    if (!type.equals(lastType)) {
      lastOneAtATime = oneAtATime.test(type);
      lastType = type;
    }
    return routee.cap(type, lastOneAtATime);
  }

  /** A new task, behind the others. */
  void add(TaskRecord task) {
    pending.addLast(task);
  }

  /** A task that had started already (re-dispatched or retried): ahead of the others. */
  void addFirst(TaskRecord task) {
    pending.addFirst(task);
  }

  /** Tasks that waited for a routee now gone, behind the others, in their order. */
  void addAll(Collection<TaskRecord> tasks) {
    pending.addAll(tasks);
  }

  /** Tasks waiting for any routee (not counting those parked at their home routee). */
  int size() {
    return pending.size();
  }

  /** Sends what waits to the {@code active} routees that have room, in batches. */
  void dispatch(List<RouteeState> active) {
    if (active.isEmpty() || pending.isEmpty()) return;
    int share = share(active);
    while (!pending.isEmpty()) {
      TaskRecord head = pending.peekFirst();
      if (head.state != TaskRecord.State.PENDING) {
        pending.pollFirst();
        continue;
      }
      if (head.shardKey != null) {
        pending.pollFirst();
        RouteeState home = Rendezvous.pick(head.keyHash, active, head.avoid);
        home.parked.addLast(head);
        if (!touched.contains(home)) touched.add(home);
        continue;
      }
      RouteeState chosen = choose(head, active);
      if (chosen == null) break;
      int limit = Math.min(Math.min(cap(chosen, head.type) - chosen.outstanding, chosen.batchLimit(head.type)), share);
      batch.clear();
      while (batch.size() < limit && !pending.isEmpty()) {
        TaskRecord task = pending.peekFirst();
        if (task.state != TaskRecord.State.PENDING) {
          pending.pollFirst();
          continue;
        }
        if (task.shardKey != null || (task.avoid == chosen && !batch.isEmpty())) break;
        batch.add(pending.pollFirst());
      }
      sender.send(chosen, batch);
    }
    for (RouteeState home : touched) resume(home);
    touched.clear();
  }

  /** Sends {@code routee}'s parked keyed tasks, in order and in batches, while it has room. */
  void resume(RouteeState routee) {
    while (!routee.parked.isEmpty()) {
      TaskRecord first = routee.parked.peekFirst();
      if (first.state != TaskRecord.State.PENDING) {
        routee.parked.pollFirst();
        continue;
      }
      int room = cap(routee, first.type) - routee.outstanding;
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
  private int share(List<RouteeState> active) {
    String type = pending.peekFirst().type;
    int withRoom = 0;
    for (RouteeState r : active) {
      if (r.outstanding < cap(r, type)) withRoom++;
    }
    return Math.max(1, (pending.size() + Math.max(1, withRoom) - 1) / Math.max(1, withRoom));
  }

  /** A routee with room for {@code task}, by the routing strategy; one it failed on only if no other has room. */
  private RouteeState choose(TaskRecord task, List<RouteeState> active) {
    candidates.clear();
    boolean avoidFree = false;
    for (RouteeState r : active) {
      if (r.outstanding >= cap(r, task.type)) continue;
      if (r == task.avoid) avoidFree = true;
      else candidates.add(r);
    }
    if (candidates.isEmpty()) return avoidFree ? task.avoid : null;
    return routing.select(task, candidates);
  }
}
