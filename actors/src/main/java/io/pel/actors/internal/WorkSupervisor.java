package io.pel.actors.internal;

import io.pel.actors.TaskFailedException;
import io.pel.actors.TaskTimeoutException;
import io.pel.cluster.PelSerializable;
import io.pel.cluster.PelSettings;
import io.pel.cluster.internal.ContainedValue;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntPredicate;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

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

  /** Where every node's supervisor registers, so a leaving node can reach them all. */
  public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "pel-supervisors");

  /** The supervisor's protocol. */
  public sealed interface Command {}

  /**
   * Accept a task; local only (the caller's future cannot cross the wire).
   *
   * @param priorFailures attempts already spent elsewhere (an element retried after failing in a batch)
   */
  public record Submit(String type, String shardKey, Object payload, TaskFuture result, int priorFailures, boolean idempotent)
      implements Command, NoSerializationVerificationNeeded {}

  /** The caller cancelled the task's future: forget the task, whatever its state. */
  public record Cancel(TaskFuture result) implements Command, NoSerializationVerificationNeeded {}

  /** A routee of this node, known before the Receptionist lists it. */
  public record RouteeStarted(ActorRef<Worker.Command> routee) implements Command, NoSerializationVerificationNeeded {}

  /**
   * A routee's answer to one attempt.
   *
   * @param result the handler's result when {@code failure} is null
   * @param failure why the attempt failed, or {@code null} if it succeeded
   */
  public record Answered(TaskId id, int attempt, Object result, FailureReport failure, long serviceNanos)
      implements PelSerializable {}

  /** A routee's answers, one or many (from another node, all that were ready at once). */
  public record AttemptsAnswered(ActorRef<Worker.Command> routee, List<Answered> answers) implements Command, PelSerializable {}

  /**
   * The node of {@code routees} is leaving: send them nothing more, await what they run, and fence each
   * of them ({@link Worker.Fence}) for {@code replyTo}, its drain.
   */
  public record Retire(List<ActorRef<Worker.Command>> routees, ActorRef<NodeDrain.Command> replyTo)
      implements Command, PelSerializable {}

  /**
   * Complete {@code ready} with the number of routees this supervisor dispatches to, cluster-wide, as soon
   * as that number satisfies {@code condition} (at once if it does now). Local only.
   */
  public record AwaitRoutees(IntPredicate condition, CompletableFuture<Integer> ready)
      implements Command, NoSerializationVerificationNeeded {}

  private record ListingChanged(Receptionist.Listing listing) implements Command, NoSerializationVerificationNeeded {}

  private enum FlushOutbox implements Command, NoSerializationVerificationNeeded { INSTANCE }

  private record RetryDue(long seq) implements Command, NoSerializationVerificationNeeded {}

  private enum TimeoutTick implements Command, NoSerializationVerificationNeeded { INSTANCE }

  private enum Resync implements Command, NoSerializationVerificationNeeded { INSTANCE }

  /** A member's status changed, from the cluster's event stream. */
  private record MembershipChanged(ClusterEvent.MemberEvent event) implements Command, NoSerializationVerificationNeeded {}

  private enum SpeculationTick implements Command, NoSerializationVerificationNeeded { INSTANCE }

  /** How long after a routee's death the supervisor asks the Receptionist for the routees again. */
  private static final Duration RESYNC_AFTER = Duration.ofMillis(500);

  private final ActorContext<Command> context;
  private final PelSettings settings;
  private final Admission admission;
  private final NodeMetrics metrics;
  private final long nodeUid;
  private final RoutingStrategy routing;
  private final SplittableRandom random = new SplittableRandom();
  private final RouteeTable routees;
  private final List<RouteeState> scratch = new ArrayList<>();
  private final Map<Long, TaskRecord> accepted = new HashMap<>();
  private final ArrayDeque<TaskRecord> pending = new ArrayDeque<>();
  private final long timeoutNanos;
  private final TimerScheduler<Command> timers;
  private final ActorRef<Receptionist.Listing> listings;
  /**
   * Nodes Up, as the cluster events this supervisor received say: not Cluster.state(), which another actor
   * updates from the same events and may not have caught up with when a listing arrives.
   */
  private final Set<Address> upNodes = new java.util.HashSet<>();
  private final PelSettings.Speculation speculation;
  private final Stragglers stragglers;
  private int speculativeInFlight;
  private final List<AwaitRoutees> routeeWaiters = new ArrayList<>();
  private long nextSeq;
  private boolean flushScheduled;

  public static Behavior<Command> create(PelSettings settings, Admission admission, NodeMetrics metrics, long nodeUid) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new WorkSupervisor(ctx, timers, settings, admission, metrics, nodeUid).behavior()));
  }

  private WorkSupervisor(ActorContext<Command> context, TimerScheduler<Command> timers, PelSettings settings,
      Admission admission, NodeMetrics metrics, long nodeUid) {
    this.context = context;
    // Named now: Pekko otherwise names the logger after the stack of its first use, which, from a message
    // adapter or a signal, is Pekko's own ActorCell (and a log configuration for org.apache.pekko hides it).
    context.setLoggerName(WorkSupervisor.class);
    this.settings = settings;
    this.admission = admission;
    this.metrics = metrics;
    this.nodeUid = nodeUid;
    this.routing = RoutingStrategy.of(settings.routing(), random.split());
    this.routees = new RouteeTable(context.getSelf(), metrics, settings.maxInFlightPerWorker(), settings.maxInFlightPerRemoteWorker());
    this.timeoutNanos = settings.taskTimeout().toNanos();
    long tick = Math.max(10, Math.min(1000, settings.taskTimeout().toMillis() / 10));
    timers.startTimerWithFixedDelay(TimeoutTick.INSTANCE, Duration.ofMillis(tick));
    this.speculation = settings.speculation();
    this.stragglers = new Stragglers(speculation);
    if (speculation.maxInFlight() > 0) {
      timers.startTimerWithFixedDelay(SpeculationTick.INSTANCE, Duration.ofMillis(Math.max(10, speculation.floor().toMillis() / 4)));
    }
    this.timers = timers;
    this.listings = context.messageAdapter(Receptionist.Listing.class, ListingChanged::new);
    context.getSystem().receptionist().tell(Receptionist.subscribe(Worker.SERVICE_KEY, listings));
    // A routee is used once its node is Up (see addRoutee); a node coming Up is a reason to look again.
    ActorRef<ClusterEvent.MemberEvent> members = context.messageAdapter(ClusterEvent.MemberEvent.class, MembershipChanged::new);
    Cluster.get(context.getSystem()).subscriptions().tell(Subscribe.create(members, ClusterEvent.MemberEvent.class));
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(Submit.class, this::onSubmit)
        .onMessage(AttemptsAnswered.class, this::onAnswered)
        .onMessage(FlushOutbox.class, flush -> onFlush())
        .onMessage(Retire.class, this::onRetire)
        .onMessage(AwaitRoutees.class, this::onAwaitRoutees)
        .onMessage(Cancel.class, this::onCancel)
        .onMessage(RetryDue.class, this::onRetryDue)
        .onMessage(TimeoutTick.class, tick -> onTimeoutTick())
        .onMessage(SpeculationTick.class, tick -> onSpeculationTick())
        .onMessage(RouteeStarted.class, started -> addRoutee(started.routee()))
        .onMessage(ListingChanged.class, this::onListing)
        .onMessage(Resync.class, resync -> onResync())
        .onMessage(MembershipChanged.class, this::onMembershipChanged)
        .onSignal(Terminated.class, this::onTerminated)
        .onSignal(PostStop.class, signal -> onStop())
        .build();
  }

  private Behavior<Command> onSubmit(Submit submit) {
    TaskRecord task = new TaskRecord(new TaskId(nodeUid, ++nextSeq), submit.type(), submit.shardKey(), submit.payload(), submit.result());
    task.failures = submit.priorFailures();
    task.attempt = submit.priorFailures();
    task.speculable = speculation.maxInFlight() > 0 && (submit.idempotent() || speculation.allTypes());
    submit.result().seq = task.id.seq();
    accepted.put(task.id.seq(), task);
    pending.addLast(task);
    dispatchPending();
    return Behaviors.same();
  }

  private Behavior<Command> onAnswered(AttemptsAnswered answered) {
    RouteeState routee = routees.get(answered.routee());
    for (Answered answer : answered.answers()) {
      // A routee dropped as unreachable and seen again is a new state: its old attempts are not counted.
      if (routee != null && routee.outstanding > 0) routee.outstanding--;
      if (answer.failure() == null && !(answer.result() instanceof ContainedValue.Unreadable)) succeeded(answer, routee);
      else failed(answer, routee);
    }
    resume(routee);
    return Behaviors.same();
  }

  private void succeeded(Answered answer, RouteeState routee) {
    TaskRecord task = accepted.remove(answer.id().seq());
    if (task == null) {
      metrics.duplicatesDropped.increment();
      return;
    }
    if (routee != null) routee.recordService(task.type, answer.serviceNanos(), settings.ewmaAlpha());
    if (task.speculable) {
      if (task.speculativeAttempt == 0) stragglers.record(task.type, System.nanoTime() - task.sentNanos);
      else if (answer.attempt() >= task.speculativeAttempt) metrics.speculativeWins.increment();
    }
    done(task);
    metrics.succeeded.increment();
    admission.release();
    task.result.complete(answer.result());
  }

  private void failed(Answered answer, RouteeState routee) {
    TaskRecord task = accepted.get(answer.id().seq());
    if (task == null || task.state != TaskRecord.State.RUNNING || task.attempt != answer.attempt()) return;
    if (answer.failure() != null) {
      attemptFailed(task, answer.failure().cause(), answer.failure().retryable());
    } else {
      String reason = ((ContainedValue.Unreadable) answer.result()).reason();
      String from = routee == null ? "its routee" : routee.name;
      attemptFailed(task, new IllegalStateException("the result of task " + task.id + " (type '" + task.type
          + "') could not be delivered from " + from + ": " + reason), false);
    }
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
      done(task);
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
      done(task);
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

  private void done(TaskRecord task) {
    task.state = TaskRecord.State.DONE;
    if (task.speculativeAttempt != 0) speculativeInFlight--;
  }

  /**
   * Gives each straggling attempt of a speculable task one duplicate on an idle routee (on another node
   * when there is one), while fewer than {@code max-in-flight} duplicates run. Only an idle routee: an
   * attempt's age counts from its dispatch, so under a backlog every queued attempt looks slow, and a
   * duplicate then would only add to the queue. The task
   * keeps whichever answer comes first; the duplicate's routee is where its timeout and loss are judged.
   */
  private Behavior<Command> onSpeculationTick() {
    if (speculativeInFlight >= speculation.maxInFlight()) return Behaviors.same();
    long now = System.nanoTime();
    List<TaskRecord> stragglersNow = new ArrayList<>();
    for (TaskRecord task : accepted.values()) {
      if (task.speculable && task.speculativeAttempt == 0 && task.state == TaskRecord.State.RUNNING
          && now - task.sentNanos > stragglers.thresholdNanos(task.type)) {
        stragglersNow.add(task);
      }
    }
    for (TaskRecord task : stragglersNow) {
      if (speculativeInFlight >= speculation.maxInFlight()) break;
      RouteeState other = routees.idleElsewhere(task.routee);
      if (other == null) break;
      send(task, other);
      task.speculativeAttempt = task.attempt;
      speculativeInFlight++;
      metrics.speculativeLaunches.increment();
    }
    return Behaviors.same();
  }

  /** Sends {@code routee}'s parked keyed tasks while it has room, then the general queue. */
  private void resume(RouteeState routee) {
    if (routee != null) {
      while (routee.outstanding < routee.cap && !routee.parked.isEmpty()) {
        TaskRecord task = routee.parked.pollFirst();
        if (task.state == TaskRecord.State.PENDING) send(task, routee);
      }
    }
    dispatchPending();
  }

  private void dispatchPending() {
    List<RouteeState> routeeList = routees.active();
    while (!pending.isEmpty() && !routeeList.isEmpty()) {
      TaskRecord task = pending.peekFirst();
      if (task.state != TaskRecord.State.PENDING) {
        pending.pollFirst();
        continue;
      }
      if (task.shardKey != null) {
        pending.pollFirst();
        RouteeState home = Rendezvous.pick(task.keyHash, routeeList, task.avoid);
        if (home.parked.isEmpty() && home.outstanding < home.cap) send(task, home);
        else home.parked.addLast(task);
        continue;
      }
      RouteeState chosen = choose(task);
      if (chosen == null) return;
      pending.pollFirst();
      send(task, chosen);
    }
  }

  private RouteeState choose(TaskRecord task) {
    scratch.clear();
    boolean avoidFree = false;
    for (RouteeState r : routees.active()) {
      if (r.outstanding >= r.cap) continue;
      if (r == task.avoid) avoidFree = true;
      else scratch.add(r);
    }
    if (scratch.isEmpty()) return avoidFree ? task.avoid : null;
    return routing.select(task, scratch);
  }

  /** Sends an attempt: at once to a routee of this node; to another node's, with its other attempts. */
  private void send(TaskRecord task, RouteeState routee) {
    task.attempt++;
    task.state = TaskRecord.State.RUNNING;
    task.routee = routee;
    task.sentNanos = System.nanoTime();
    task.deadlineNanos = task.sentNanos + timeoutNanos;
    routee.outstanding++;
    routee.dispatched++;
    Task attempt = new Task(task.id, task.type, task.shardKey, task.payload, task.attempt);
    if (routees.send(routee, attempt) && !flushScheduled) {
      flushScheduled = true;
      context.getSelf().tell(FlushOutbox.INSTANCE);
    }
  }

  private Behavior<Command> onFlush() {
    flushScheduled = false;
    routees.flushAll();
    return Behaviors.same();
  }

  /**
   * Adds a routee of this node at once, and one of another node once that node is Up: while a node that
   * came back at the same address is still joining, DeathWatch reports its old incarnation's end for the
   * new routees too (seen in ClusterTest), which would have them dropped and re-added over and over.
   */
  private Behavior<Command> addRoutee(ActorRef<Worker.Command> ref) {
    if (!ref.path().address().hasLocalScope() && !isUp(ref.path().address())) return Behaviors.same();
    RouteeState routee = routees.add(ref, ref.path().toStringWithAddress(context.getSystem().address()));
    if (routee != null) {
      routeesChanged();
      context.watch(ref);
      context.getLog().debug("Routee {} joined; {} routees", routee.name, routees.active().size());
      dispatchPending();
    }
    return Behaviors.same();
  }

  private Behavior<Command> onAwaitRoutees(AwaitRoutees await) {
    routeeWaiters.add(await);
    routeesChanged();
    return Behaviors.same();
  }

  /** Completes the waiters whose condition the routee count now meets, and forgets abandoned ones. */
  private void routeesChanged() {
    if (routeeWaiters.isEmpty()) return;
    int count = routees.active().size();
    routeeWaiters.removeIf(await -> await.ready().isDone() || (await.condition().test(count) && await.ready().complete(count)));
  }

  private boolean isUp(Address address) {
    return upNodes.contains(address);
  }

  /** Keeps {@link #upNodes}; a node coming Up may make routees listed before usable, so look again. */
  private Behavior<Command> onMembershipChanged(MembershipChanged changed) {
    Member member = changed.event().member();
    if (member.status().equals(MemberStatus.up())) {
      upNodes.add(member.address());
      return onResync();
    }
    if (!member.status().equals(MemberStatus.joining()) && !member.status().equals(MemberStatus.weaklyUp())) {
      upNodes.remove(member.address()); // leaving, exiting, down or removed: a new incarnation must come Up again
    }
    return Behaviors.same();
  }

  /**
   * Routees listed reachable are used. One no longer listed at all was deregistered by its leaving node:
   * it is retired, and what it runs is awaited. One listed but unreachable is treated as lost: its
   * attempts go elsewhere now, and if it answers after all, the first answer of each task wins.
   */
  private Behavior<Command> onListing(ListingChanged changed) {
    Set<ActorRef<Worker.Command>> reachable = changed.listing().getServiceInstances(Worker.SERVICE_KEY);
    Set<ActorRef<Worker.Command>> all = changed.listing().getAllServiceInstances(Worker.SERVICE_KEY);
    for (ActorRef<Worker.Command> ref : reachable) addRoutee(ref);
    for (RouteeState r : routees.all()) {
      if (r.local) continue;
      if (!all.contains(r.ref)) retire(r, "deregistered");
      else if (!reachable.contains(r.ref)) removeRoutee(r, "unreachable");
    }
    return Behaviors.same();
  }

  private Behavior<Command> onRetire(Retire retire) {
    for (ActorRef<Worker.Command> ref : retire.routees()) {
      RouteeState routee = routees.get(ref);
      if (routee != null) retire(routee, "retiring: its node is leaving");
      ref.tell(new Worker.Fence(context.getSelf(), retire.replyTo()));
    }
    return Behaviors.same();
  }

  /** Sends {@code routee} nothing more; its attempts already out are awaited, its parked tasks go elsewhere. */
  private void retire(RouteeState routee, String why) {
    if (!routees.retire(routee)) return;
    routeesChanged();
    pending.addAll(routee.parked);
    routee.parked.clear();
    context.getLog().info("Routee {} {}; {} attempts still running there, {} routees left", routee.name, why,
        routee.outstanding, routees.active().size());
    dispatchPending();
  }

  /**
   * A routee's death re-dispatches its attempts. DeathWatch works per node address, though, and may
   * report a death that was not (see addRoutee), while the Receptionist, whose listing did not change,
   * would not list the routee again. So a moment later the supervisor asks for the listing once more and
   * takes back any routee that is in fact alive.
   */
  private Behavior<Command> onTerminated(Terminated terminated) {
    RouteeState routee = routees.get(terminated.getRef().unsafeUpcast());
    if (routee != null) {
      removeRoutee(routee, "stopped");
      if (!routee.local) timers.startSingleTimer(Resync.INSTANCE, RESYNC_AFTER);
    }
    return Behaviors.same();
  }

  private Behavior<Command> onResync() {
    context.getSystem().receptionist().tell(Receptionist.find(Worker.SERVICE_KEY, listings));
    return Behaviors.same();
  }

  /** Forgets a routee and sends its running and parked tasks elsewhere, without charging them an attempt. */
  private void removeRoutee(RouteeState routee, String why) {
    routees.remove(routee);
    routeesChanged();
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
    routee.parked.clear();
    metrics.redispatched.add(moved);
    context.getLog().info("Routee {} {}; {} running tasks re-dispatched, {} routees left", routee.name, why, moved, routees.active().size());
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
