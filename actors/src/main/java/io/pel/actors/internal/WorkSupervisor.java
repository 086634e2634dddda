package io.pel.actors.internal;

import io.pel.actors.TaskFailedException;
import io.pel.actors.TaskTimeoutException;
import io.pel.cluster.PelSerializable;
import io.pel.cluster.PelSettings;
import io.pel.cluster.internal.ContainedValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
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
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * One per node: the glue between the parts of the task path, each the sole owner of its state. Tasks
 * come in through the {@link TaskIntake} (in bulk, not a message each) and become records of the {@link
 * TaskLedger}; the {@link DispatchQueue} sends them to routees in batches; the {@link AttemptClock}
 * times attempts out and brings retries back; the {@link Speculator} duplicates stragglers; {@link
 * RouteeMembership} says which routees there are; the {@link CompletionRelay} completes callers' futures
 * off this actor's thread. Every accepted task yields exactly one outcome: the first answer for a task
 * wins, later ones are counted and dropped.
 *
 * <p>All of it is touched only in this actor's message handlers. The relay's executor is this actor's
 * and stops with it.
 */
public final class WorkSupervisor {

  /** Where every node's supervisor registers, so a leaving node can reach them all. */
  public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "pel-supervisors");

  /** The supervisor's protocol. */
  public sealed interface Command {}

  /** Tasks wait in the intake: take them in. Local only; sent by {@link TaskIntake}. */
  public enum DrainIntake implements Command, NoSerializationVerificationNeeded { INSTANCE }

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

  /** A routee's answers, one or many (all that were ready at once). */
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

  private record MembershipChanged(ClusterEvent.MemberEvent event) implements Command, NoSerializationVerificationNeeded {}

  private enum FlushOutbox implements Command, NoSerializationVerificationNeeded { INSTANCE }

  private enum ClockTick implements Command, NoSerializationVerificationNeeded { INSTANCE }

  private enum SpeculationTick implements Command, NoSerializationVerificationNeeded { INSTANCE }

  private enum Resync implements Command, NoSerializationVerificationNeeded { INSTANCE }

  /** How long after a routee's death the supervisor asks the Receptionist for the routees again. */
  private static final Duration RESYNC_AFTER = Duration.ofMillis(500);
  /** Submissions taken in per {@link DrainIntake} before the other messages get their turn. */
  private static final int DRAIN_LIMIT = 4096;

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final PelSettings settings;
  private final NodeMetrics metrics;
  private final TaskIntake intake;
  private final TaskLedger ledger;
  private final RetryPolicy retry;
  private final AttemptClock clock;
  private final Speculator speculator;
  private final RouteeTable routees;
  private final DispatchQueue dispatch;
  private final RouteeMembership membership;
  private final ExecutorService completionPool;
  private final CompletionRelay relay;
  private final SplittableRandom random = new SplittableRandom();
  /** How often straggling speculable attempts are looked for, while any is watched. */
  private final Duration speculationEvery;
  private boolean speculationTicking;
  private boolean flushScheduled;
  private boolean clockArmed;
  private long clockArmedFor;

  public static Behavior<Command> create(
      PelSettings settings, Admission admission, NodeMetrics metrics, long nodeUid, TaskIntake intake, HandlerRegistry registry) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new WorkSupervisor(ctx, timers, settings, admission, metrics, nodeUid, intake, registry).behavior()));
  }

  private WorkSupervisor(ActorContext<Command> context, TimerScheduler<Command> timers, PelSettings settings,
      Admission admission, NodeMetrics metrics, long nodeUid, TaskIntake intake, HandlerRegistry registry) {
    this.context = context;
    // Named now: Pekko otherwise names the logger after the stack of its first use, which, from a message
    // adapter or a signal, is Pekko's own ActorCell (and a log configuration for org.apache.pekko hides it).
    context.setLoggerName(WorkSupervisor.class);
    this.timers = timers;
    this.settings = settings;
    this.metrics = metrics;
    this.intake = intake;
    this.ledger = new TaskLedger(admission, nodeUid);
    this.retry = new RetryPolicy(settings.retry());
    this.clock = new AttemptClock(settings.taskTimeout().toNanos(), System::nanoTime);
    this.speculator = new Speculator(settings.speculation(), metrics);
    this.routees = new RouteeTable(context.getSelf(), metrics, settings.maxInFlightPerWorker(), settings.maxInFlightPerRemoteWorker(),
        WireValues.of(context.getSystem()));
    this.dispatch = new DispatchQueue(RoutingStrategy.of(settings.routing(), random.split(), clock::now), this::send, type -> {
      HandlerRegistry.Registration registration = registry.find(type);
      if (registration == null || !registration.async() && !registration.pooled()) return RouteeState.Handling.ONE_AT_A_TIME;
      return registration.async() ? RouteeState.Handling.OVERLAPPING : RouteeState.Handling.POOLED;
    });
    ActorRef<Receptionist.Listing> listings = context.messageAdapter(Receptionist.Listing.class, ListingChanged::new);
    this.membership = new RouteeMembership(context, routees, new Changes(), listings);
    this.completionPool = completionPool();
    this.relay = new CompletionRelay(completionPool);
    this.speculationEvery = Duration.ofMillis(Math.max(10, settings.speculation().floor().toMillis() / 4));
    context.getSystem().receptionist().tell(Receptionist.subscribe(Worker.SERVICE_KEY, listings));
    // A routee is used once its node is Up (see RouteeMembership); a node coming Up is a reason to look again.
    ActorRef<ClusterEvent.MemberEvent> members = context.messageAdapter(ClusterEvent.MemberEvent.class, MembershipChanged::new);
    Cluster.get(context.getSystem()).subscriptions().tell(Subscribe.create(members, ClusterEvent.MemberEvent.class));
  }

  /** Threads that complete callers' futures; more start while some are held by blocking continuations. */
  private static ExecutorService completionPool() {
    AtomicInteger threads = new AtomicInteger();
    return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), run -> {
      Thread thread = new Thread(run, "pel-completion-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(DrainIntake.class, drain -> onDrainIntake())
        .onMessage(AttemptsAnswered.class, this::onAnswered)
        .onMessage(FlushOutbox.class, flush -> onFlush())
        .onMessage(ClockTick.class, tick -> onClockTick())
        .onMessage(Cancel.class, this::onCancel)
        .onMessage(Retire.class, this::onRetire)
        .onMessage(AwaitRoutees.class, this::onAwaitRoutees)
        .onMessage(SpeculationTick.class, tick -> onSpeculationTick())
        .onMessage(RouteeStarted.class, started -> onRouteeStarted(started.routee()))
        .onMessage(ListingChanged.class, this::onListing)
        .onMessage(Resync.class, resync -> onResync())
        .onMessage(MembershipChanged.class, this::onMembershipChanged)
        .onSignal(Terminated.class, this::onTerminated)
        .onSignal(PostStop.class, signal -> onStop())
        .build();
  }

  private Behavior<Command> onDrainIntake() {
    intake.draining();
    int taken = 0;
    TaskIntake.Submission submission;
    while (taken < DRAIN_LIMIT && (submission = intake.poll()) != null) {
      accept(submission);
      taken++;
    }
    if (taken == DRAIN_LIMIT) intake.drainAgain(context.getSelf());
    return dispatched();
  }

  private void accept(TaskIntake.Submission submission) {
    if (submission.result().isDone()) { // cancelled on its way in
      metrics.cancelled.increment();
      ledger.refuse();
      return;
    }
    TaskRecord task = ledger.accept(submission.type(), submission.shardKey(), submission.payload(), submission.result());
    task.failures = submission.priorFailures();
    task.attempt = submission.priorFailures();
    task.speculable = speculator.speculable(submission.idempotent());
    if (submission.priorFailures() > 0) waitForRetry(task);
    else dispatch.add(task);
  }

  private Behavior<Command> onAnswered(AttemptsAnswered answered) {
    RouteeState routee = routees.get(answered.routee());
    long now = clock.now();
    CompletionRelay.Batch done = relay.batch(answered.answers().size());
    for (Answered answer : answered.answers()) {
      TaskRecord task = ledger.get(answer.id().seq());
      // A routee dropped as unreachable and seen again is a new state: its old attempts are not counted.
      if (routee != null && routee.outstanding > 0) answeredBy(routee, task);
      if (answer.failure() == null && !(answer.result() instanceof ContainedValue.Unreadable)) succeeded(answer, task, routee, now, done);
      else failed(answer, task, routee, done);
    }
    relay.complete(done);
    if (routee != null) dispatch.resume(routee);
    return dispatched();
  }

  /** One attempt less at {@code routee}; its weight is the task's, or 1 for a task already settled. */
  private static void answeredBy(RouteeState routee, TaskRecord task) {
    routee.outstanding--;
    if (task != null && task.pooled && routee.pooledOutstanding > 0) routee.pooledOutstanding--;
    // An answer to a task already settled does not say its lane; the count is kept within bounds instead.
    routee.pooledOutstanding = Math.min(routee.pooledOutstanding, routee.outstanding);
    routee.outstandingWeight = routee.outstanding == 0 ? 0
        : Math.max(routee.outstanding, routee.outstandingWeight - (task == null ? 1 : task.weight));
  }

  private void succeeded(Answered answer, TaskRecord task, RouteeState routee, long now, CompletionRelay.Batch done) {
    if (task == null) {
      metrics.duplicatesDropped.increment();
      return;
    }
    if (routee != null) routee.recordService(task.type, answer.serviceNanos() / task.weight, settings.ewmaAlpha(), now);
    speculator.succeeded(task, answer.attempt(), now);
    settle(task);
    metrics.succeeded.increment();
    done.succeed(task.result, answer.result());
  }

  private void failed(Answered answer, TaskRecord task, RouteeState routee, CompletionRelay.Batch done) {
    if (task == null || task.state != TaskRecord.State.RUNNING || task.attempt != answer.attempt()) return;
    if (answer.failure() != null) {
      attemptFailed(task, answer.failure().cause(), answer.failure().retryable(), done);
    } else {
      String reason = ((ContainedValue.Unreadable) answer.result()).reason();
      String from = routee == null ? "its routee" : routee.name;
      attemptFailed(task, new IllegalStateException("the result of task " + task.id + " (type '" + task.type
          + "') could not be delivered from " + from + ": " + reason), false, done);
    }
  }

  /** The retry policy decides: another attempt after its backoff, or the caller's failure. */
  private void attemptFailed(TaskRecord task, Throwable cause, boolean retryable, CompletionRelay.Batch done) {
    task.failures++;
    task.avoid = task.routee;
    task.routee = null;
    clock.ended(task);
    if (retry.retries(task.failures, retryable)) {
      waitForRetry(task);
    } else {
      settle(task);
      metrics.failed.increment();
      done.fail(task.result, new TaskFailedException(task.id.toString(), task.type, task.attempt, cause));
    }
  }

  private void waitForRetry(TaskRecord task) {
    metrics.retries.increment();
    task.state = TaskRecord.State.WAITING_RETRY;
    clock.retryAt(task, clock.now() + retry.delayNanos(task.failures, random.nextDouble()));
  }

  /** Takes {@code task} out of every part; {@code false} if it was settled already. */
  private boolean settle(TaskRecord task) {
    if (!ledger.settle(task)) return false;
    clock.ended(task);
    speculator.settled(task);
    return true;
  }

  /**
   * A queued, parked or retry-waiting task is dropped where it waits (dispatch skips tasks that are not
   * pending); a running one keeps its routee busy until the routee answers, and that answer is dropped.
   */
  private Behavior<Command> onCancel(Cancel cancel) {
    TaskRecord task = ledger.get(cancel.result().seq);
    if (task != null && task.result == cancel.result() && settle(task)) metrics.cancelled.increment();
    return Behaviors.same();
  }

  private Behavior<Command> onClockTick() {
    clockArmed = false;
    long now = clock.now();
    CompletionRelay.Batch done = relay.batch();
    clock.expire(now, task -> {
      metrics.timeouts.increment();
      String routee = task.routee == null ? "its routee" : task.routee.name;
      attemptFailed(task, new TaskTimeoutException(task.id.toString(), task.attempt, routee, settings.taskTimeout()), true, done);
    });
    clock.dueRetries(now, task -> {
      if (task.state != TaskRecord.State.WAITING_RETRY) return; // settled meanwhile
      task.state = TaskRecord.State.PENDING;
      dispatch.addFirst(task);
    });
    relay.complete(done);
    return dispatched();
  }

  /**
   * Gives each straggling attempt of a speculable task one duplicate on an idle routee (on another node
   * when there is one). Only an idle routee: an attempt's age counts from its dispatch, so under a backlog
   * every queued attempt looks slow, and a duplicate then would only add to the queue. The task keeps
   * whichever answer comes first; the duplicate's routee is where its timeout and loss are judged.
   */
  private Behavior<Command> onSpeculationTick() {
    if (!speculator.hasRoom()) return Behaviors.same();
    for (TaskRecord task : speculator.stragglers(clock.now())) {
      RouteeState other = routees.idleElsewhere(task.routee);
      if (other == null) break;
      send(other, List.of(task));
      speculator.launched(task);
    }
    if (!speculator.watching()) { // nothing left to watch: the ticks stop until a speculable task is sent
      timers.cancel(SpeculationTick.INSTANCE);
      speculationTicking = false;
    }
    armClock();
    return Behaviors.same();
  }

  /** Sends {@code batch}'s next attempts to {@code routee}: at once to one of this node, with the others to another node's. */
  private void send(RouteeState routee, List<TaskRecord> batch) {
    long now = clock.now();
    List<Task> attempts = new ArrayList<>(batch.size());
    for (TaskRecord task : batch) {
      task.attempt++;
      task.state = TaskRecord.State.RUNNING;
      task.routee = routee;
      clock.started(task, now);
      speculator.sent(task);
      routee.outstanding++;
      if (task.pooled) routee.pooledOutstanding++;
      routee.outstandingWeight += task.weight;
      routee.dispatched++;
      attempts.add(new Task(task.id, task.type, task.shardKey, task.payload, task.attempt));
    }
    if (!speculationTicking && speculator.watching()) {
      speculationTicking = true;
      timers.startTimerWithFixedDelay(SpeculationTick.INSTANCE, speculationEvery);
    }
    if (routees.send(routee, attempts) && !flushScheduled) {
      flushScheduled = true;
      context.getSelf().tell(FlushOutbox.INSTANCE);
    }
  }

  private Behavior<Command> onFlush() {
    flushScheduled = false;
    routees.flushAll();
    return Behaviors.same();
  }

  /** After a change: send what can go, and keep the clock's timer for its earliest deadline. */
  private Behavior<Command> dispatched() {
    dispatch.dispatch(routees.active());
    metrics.waiting = dispatch.size();
    armClock();
    return Behaviors.same();
  }

  private void armClock() {
    long due = clock.nextDueNanos();
    if (due == Long.MAX_VALUE || (clockArmed && due - clockArmedFor >= 0)) return;
    clockArmed = true;
    clockArmedFor = due;
    timers.startSingleTimer(ClockTick.INSTANCE, Duration.ofNanos(Math.max(0, due - clock.now())));
  }

  private Behavior<Command> onRouteeStarted(ActorRef<Worker.Command> routee) {
    membership.add(routee);
    return Behaviors.same();
  }

  private Behavior<Command> onAwaitRoutees(AwaitRoutees await) {
    membership.await(await);
    return Behaviors.same();
  }

  private Behavior<Command> onListing(ListingChanged changed) {
    membership.listed(changed.listing());
    return Behaviors.same();
  }

  private Behavior<Command> onMembershipChanged(MembershipChanged changed) {
    membership.memberChanged(changed.event());
    return Behaviors.same();
  }

  private Behavior<Command> onResync() {
    membership.resync();
    return Behaviors.same();
  }

  private Behavior<Command> onTerminated(Terminated terminated) {
    if (membership.terminated(terminated.getRef().unsafeUpcast())) timers.startSingleTimer(Resync.INSTANCE, RESYNC_AFTER);
    return Behaviors.same();
  }

  private Behavior<Command> onRetire(Retire retire) {
    for (ActorRef<Worker.Command> ref : retire.routees()) {
      RouteeState routee = routees.get(ref);
      if (routee != null) membership.retire(routee, "retiring: its node is leaving");
      ref.tell(new Worker.Fence(context.getSelf(), retire.replyTo()));
    }
    return Behaviors.same();
  }

  /** What routees coming and going mean for tasks. */
  private final class Changes implements RouteeMembership.Listener {

    @Override
    public void added(RouteeState routee) {
      dispatched();
    }

    /** Sends the routee's running and parked tasks elsewhere, without charging them an attempt. */
    @Override
    public void lost(RouteeState routee, String why) {
      int moved = 0;
      for (TaskRecord task : ledger.all()) {
        if (task.state == TaskRecord.State.RUNNING && task.routee == routee) {
          task.state = TaskRecord.State.PENDING;
          task.routee = null;
          clock.ended(task);
          dispatch.addFirst(task);
          moved++;
        }
        if (task.avoid == routee) task.avoid = null;
      }
      dispatch.addAll(routee.parked);
      routee.parked.clear();
      metrics.redispatched.add(moved);
      context.getLog().info("Routee {} {}; {} running tasks re-dispatched, {} routees left", routee.name, why, moved,
          routees.active().size());
      dispatched();
    }

    /** Its attempts already out are awaited; its parked tasks go elsewhere. */
    @Override
    public void retired(RouteeState routee, String why) {
      dispatch.addAll(routee.parked);
      routee.parked.clear();
      context.getLog().info("Routee {} {}; {} attempts still running there, {} routees left", routee.name, why,
          routee.outstanding, routees.active().size());
      dispatched();
    }
  }

  private Behavior<Command> onStop() {
    CompletionRelay.Batch done = relay.batch();
    for (TaskRecord task : ledger.all()) {
      settle(task);
      done.fail(task.result, new IllegalStateException("the execution layer stopped before task " + task.id + " finished"));
    }
    TaskIntake.Submission submission;
    while ((submission = intake.poll()) != null) {
      ledger.refuse();
      done.fail(submission.result(), new IllegalStateException("the execution layer stopped before a task of type '"
          + submission.type() + "' was taken in"));
    }
    relay.complete(done);
    completionPool.shutdown();
    return Behaviors.same();
  }
}
