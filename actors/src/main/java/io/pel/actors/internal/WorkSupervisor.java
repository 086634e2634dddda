package io.pel.actors.internal;

import io.pel.actors.TaskFailedException;
import io.pel.actors.TaskTimeoutException;
import io.pel.cluster.PelSerializable;
import io.pel.cluster.PelSettings;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * One per node: accepts tasks, routes each attempt to a routee anywhere in the cluster, tracks it until
 * one result comes back, and completes the caller's future exactly once.
 *
 * <p>All state is this actor's and is touched only in its message handlers. Callers' futures are
 * completed here; the node's {@link Admission} is released once per completed task. Each routee holds at
 * most {@code max-in-flight-per-worker} attempts; the rest wait in {@code pending} (or, for keyed tasks,
 * parked at their home routee). An attempt that fails, times out, or whose routee dies is re-dispatched,
 * and the first result for a task wins: later ones are counted and dropped.
 */
public final class WorkSupervisor {

  /** The supervisor's protocol. */
  public sealed interface Command {}

  /**
   * Accept a task; local only (the caller's future cannot cross the wire).
   *
   * @param priorFailures attempts already spent elsewhere (an element retried after failing in a batch)
   */
  public record Submit(String type, String shardKey, Object payload, TaskFuture result, int priorFailures)
      implements Command, NoSerializationVerificationNeeded {}

  /** The caller cancelled the task's future: forget the task, whatever its state. */
  public record Cancel(TaskFuture result) implements Command, NoSerializationVerificationNeeded {}

  /** A routee of this node, known before the Receptionist lists it. */
  public record RouteeStarted(ActorRef<Worker.Command> routee) implements Command, NoSerializationVerificationNeeded {}

  /** A routee's answer: the attempt succeeded. */
  public record AttemptSucceeded(TaskId id, int attempt, Object result, long serviceNanos, ActorRef<Worker.Command> routee)
      implements Command, PelSerializable {}

  /** A routee's answer: the attempt failed. */
  public record AttemptFailed(TaskId id, int attempt, FailureReport failure, long serviceNanos, ActorRef<Worker.Command> routee)
      implements Command, PelSerializable {}

  private record ListingChanged(Receptionist.Listing listing) implements Command, NoSerializationVerificationNeeded {}

  private record RetryDue(long seq) implements Command, NoSerializationVerificationNeeded {}

  private enum TimeoutTick implements Command, NoSerializationVerificationNeeded { INSTANCE }

  private final ActorContext<Command> context;
  private final PelSettings settings;
  private final Admission admission;
  private final NodeMetrics metrics;
  private final long nodeUid;
  private final RoutingStrategy routing;
  private final SplittableRandom random = new SplittableRandom();
  private final Map<ActorRef<Worker.Command>, RouteeState> routees = new LinkedHashMap<>();
  private final List<RouteeState> routeeList = new ArrayList<>();
  private final List<RouteeState> scratch = new ArrayList<>();
  private final Map<Long, TaskRecord> accepted = new HashMap<>();
  private final ArrayDeque<TaskRecord> pending = new ArrayDeque<>();
  private final long timeoutNanos;
  private long nextSeq;

  public static Behavior<Command> create(PelSettings settings, Admission admission, NodeMetrics metrics, long nodeUid) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new WorkSupervisor(ctx, timers, settings, admission, metrics, nodeUid).behavior()));
  }

  private WorkSupervisor(ActorContext<Command> context, TimerScheduler<Command> timers, PelSettings settings,
      Admission admission, NodeMetrics metrics, long nodeUid) {
    this.context = context;
    this.settings = settings;
    this.admission = admission;
    this.metrics = metrics;
    this.nodeUid = nodeUid;
    this.routing = RoutingStrategy.of(settings.routing(), random.split());
    this.timeoutNanos = settings.taskTimeout().toNanos();
    long tick = Math.max(10, Math.min(1000, settings.taskTimeout().toMillis() / 10));
    timers.startTimerWithFixedDelay(TimeoutTick.INSTANCE, Duration.ofMillis(tick));
    ActorRef<Receptionist.Listing> listings = context.messageAdapter(Receptionist.Listing.class, ListingChanged::new);
    context.getSystem().receptionist().tell(Receptionist.subscribe(Worker.SERVICE_KEY, listings));
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(Submit.class, this::onSubmit)
        .onMessage(AttemptSucceeded.class, this::onSucceeded)
        .onMessage(AttemptFailed.class, this::onFailed)
        .onMessage(Cancel.class, this::onCancel)
        .onMessage(RetryDue.class, this::onRetryDue)
        .onMessage(TimeoutTick.class, tick -> onTimeoutTick())
        .onMessage(RouteeStarted.class, started -> addRoutee(started.routee()))
        .onMessage(ListingChanged.class, this::onListing)
        .onSignal(Terminated.class, this::onTerminated)
        .onSignal(PostStop.class, signal -> onStop())
        .build();
  }

  private Behavior<Command> onSubmit(Submit submit) {
    TaskRecord task = new TaskRecord(new TaskId(nodeUid, ++nextSeq), submit.type(), submit.shardKey(), submit.payload(), submit.result());
    task.failures = submit.priorFailures();
    task.attempt = submit.priorFailures();
    submit.result().seq = task.id.seq();
    accepted.put(task.id.seq(), task);
    pending.addLast(task);
    dispatchPending();
    return Behaviors.same();
  }

  private Behavior<Command> onSucceeded(AttemptSucceeded answer) {
    RouteeState routee = answered(answer.routee());
    TaskRecord task = accepted.remove(answer.id().seq());
    if (routee != null && task != null) routee.recordService(task.type, answer.serviceNanos(), settings.ewmaAlpha());
    if (task == null) {
      metrics.duplicatesDropped.increment();
    } else {
      task.state = TaskRecord.State.DONE;
      metrics.succeeded.increment();
      admission.release();
      task.result.complete(answer.result());
    }
    resume(routee);
    return Behaviors.same();
  }

  private Behavior<Command> onFailed(AttemptFailed answer) {
    RouteeState routee = answered(answer.routee());
    TaskRecord task = accepted.get(answer.id().seq());
    if (task != null && task.state == TaskRecord.State.RUNNING && task.attempt == answer.attempt()) {
      attemptFailed(task, answer.failure().cause(), answer.failure().retryable());
    }
    resume(routee);
    return Behaviors.same();
  }

  private RouteeState answered(ActorRef<Worker.Command> ref) {
    RouteeState routee = routees.get(ref);
    if (routee != null) routee.outstanding--;
    return routee;
  }

  private void attemptFailed(TaskRecord task, Throwable cause, boolean retryable) {
    task.failures++;
    task.avoid = task.routee;
    task.routee = null;
    if (retryable && task.failures < settings.retry().maxAttempts()) {
      metrics.retries.increment();
      task.state = TaskRecord.State.WAITING_RETRY;
      Duration delay = settings.retry().backoff().delay(task.failures, random.nextDouble());
      context.scheduleOnce(delay, context.getSelf(), new RetryDue(task.id.seq()));
    } else {
      accepted.remove(task.id.seq());
      task.state = TaskRecord.State.DONE;
      metrics.failed.increment();
      admission.release();
      task.result.completeExceptionally(new TaskFailedException(task.id.toString(), task.type, task.attempt, cause));
    }
  }

  /**
   * A queued, parked or retry-waiting task is dropped where it waits (dispatch skips tasks that are not
   * pending); a running one keeps its routee busy until the routee answers, and that answer is dropped.
   */
  private Behavior<Command> onCancel(Cancel cancel) {
    TaskRecord task = accepted.get(cancel.result().seq);
    if (task != null && task.result == cancel.result()) {
      accepted.remove(task.id.seq());
      task.state = TaskRecord.State.DONE;
      metrics.cancelled.increment();
      admission.release();
    }
    return Behaviors.same();
  }

  private Behavior<Command> onRetryDue(RetryDue due) {
    TaskRecord task = accepted.get(due.seq());
    if (task != null && task.state == TaskRecord.State.WAITING_RETRY) {
      task.state = TaskRecord.State.PENDING;
      pending.addFirst(task);
      dispatchPending();
    }
    return Behaviors.same();
  }

  private Behavior<Command> onTimeoutTick() {
    long now = System.nanoTime();
    List<TaskRecord> late = new ArrayList<>();
    for (TaskRecord task : accepted.values()) {
      if (task.state == TaskRecord.State.RUNNING && now - task.deadlineNanos > 0) late.add(task);
    }
    for (TaskRecord task : late) {
      metrics.timeouts.increment();
      attemptFailed(task, new TaskTimeoutException(task.id.toString(), task.attempt, task.routee.name, settings.taskTimeout()), true);
    }
    return Behaviors.same();
  }

  /** Sends {@code routee}'s parked keyed tasks while it has room, then the general queue. */
  private void resume(RouteeState routee) {
    if (routee != null) {
      while (routee.outstanding < settings.maxInFlightPerWorker() && !routee.parked.isEmpty()) {
        TaskRecord task = routee.parked.pollFirst();
        if (task.state == TaskRecord.State.PENDING) send(task, routee);
      }
    }
    dispatchPending();
  }

  private void dispatchPending() {
    int cap = settings.maxInFlightPerWorker();
    while (!pending.isEmpty() && !routeeList.isEmpty()) {
      TaskRecord task = pending.peekFirst();
      if (task.state != TaskRecord.State.PENDING) {
        pending.pollFirst();
        continue;
      }
      if (task.shardKey != null) {
        pending.pollFirst();
        RouteeState home = Rendezvous.pick(task.keyHash, routeeList, task.avoid);
        if (home.parked.isEmpty() && home.outstanding < cap) send(task, home);
        else home.parked.addLast(task);
        continue;
      }
      RouteeState chosen = choose(task, cap);
      if (chosen == null) return;
      pending.pollFirst();
      send(task, chosen);
    }
  }

  private RouteeState choose(TaskRecord task, int cap) {
    scratch.clear();
    boolean avoidFree = false;
    for (RouteeState r : routeeList) {
      if (r.outstanding >= cap) continue;
      if (r == task.avoid) avoidFree = true;
      else scratch.add(r);
    }
    if (scratch.isEmpty()) return avoidFree ? task.avoid : null;
    return routing.select(task, scratch);
  }

  private void send(TaskRecord task, RouteeState routee) {
    task.attempt++;
    task.state = TaskRecord.State.RUNNING;
    task.routee = routee;
    task.deadlineNanos = System.nanoTime() + timeoutNanos;
    routee.outstanding++;
    routee.dispatched++;
    routee.ref.tell(new Worker.Run(new Task(task.id, task.type, task.shardKey, task.payload, task.attempt), context.getSelf()));
  }

  private Behavior<Command> addRoutee(ActorRef<Worker.Command> ref) {
    if (!routees.containsKey(ref)) {
      boolean local = ref.path().address().hasLocalScope();
      RouteeState routee = new RouteeState(ref, ref.path().toStringWithAddress(context.getSystem().address()), local);
      routees.put(ref, routee);
      routeeList.add(routee);
      metrics.routees = routeeList.size();
      context.watch(ref);
      context.getLog().debug("Routee {} joined; {} routees", routee.name, routeeList.size());
      dispatchPending();
    }
    return Behaviors.same();
  }

  private Behavior<Command> onListing(ListingChanged changed) {
    var listed = changed.listing().getServiceInstances(Worker.SERVICE_KEY);
    for (ActorRef<Worker.Command> ref : listed) addRoutee(ref);
    for (RouteeState r : List.copyOf(routeeList)) {
      if (!r.local && !listed.contains(r.ref)) removeRoutee(r, "deregistered");
    }
    return Behaviors.same();
  }

  private Behavior<Command> onTerminated(Terminated terminated) {
    RouteeState routee = routees.get(terminated.getRef().unsafeUpcast());
    if (routee != null) removeRoutee(routee, "stopped");
    return Behaviors.same();
  }

  /** Forgets a routee and sends its running and parked tasks elsewhere, without charging them an attempt. */
  private void removeRoutee(RouteeState routee, String why) {
    routees.remove(routee.ref);
    routeeList.remove(routee);
    metrics.routees = routeeList.size();
    int moved = 0;
    for (TaskRecord task : accepted.values()) {
      if (task.state == TaskRecord.State.RUNNING && task.routee == routee) {
        task.state = TaskRecord.State.PENDING;
        task.routee = null;
        pending.addFirst(task);
        moved++;
      }
      if (task.avoid == routee) task.avoid = null;
    }
    pending.addAll(routee.parked);
    metrics.redispatched.add(moved);
    context.getLog().info("Routee {} {}; {} running tasks re-dispatched, {} routees left", routee.name, why, moved, routeeList.size());
    dispatchPending();
  }

  private Behavior<Command> onStop() {
    for (TaskRecord task : accepted.values()) {
      admission.release();
      task.result.completeExceptionally(new IllegalStateException("the execution layer stopped before task " + task.id + " finished"));
    }
    accepted.clear();
    return Behaviors.same();
  }
}
