package io.pel.actors.internal;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * Takes a leaving node's routees out of the cluster without re-running anything: deregisters them, asks
 * every supervisor of the cluster to send them nothing more ({@link WorkSupervisor.Retire}), waits for
 * each supervisor's fence to come through each routee's mailbox (so every attempt sent before it has
 * arrived), then for every attempt taken in to be answered. Only then may the node leave; a supervisor
 * that never saw this is covered by DeathWatch, which re-dispatches what the node did not answer.
 *
 * <p>Answers are not messages to the drain: once the fences are through, it waits on the node's count of
 * running attempts to signal zero ({@link RunningAttempts#whenIdle}), which it pipes to itself.
 */
public final class NodeDrain {

  /** The drain's protocol. */
  public sealed interface Command {}

  /** Begin; {@code done} completes when drained, or after {@code timeout} with a warning. Local only. */
  public record Start(CompletableFuture<Done> done, Duration timeout) implements Command, NoSerializationVerificationNeeded {}

  /** A routee took in every attempt {@code supervisor} sent it before its fence. Local: routee to drain. */
  public record FenceReached(ActorRef<Worker.Command> routee, ActorRef<WorkSupervisor.Command> supervisor)
      implements Command, NoSerializationVerificationNeeded {}

  private record SupervisorsListed(Receptionist.Listing listing) implements Command, NoSerializationVerificationNeeded {}

  private record SupervisorGone(ActorRef<WorkSupervisor.Command> supervisor) implements Command, NoSerializationVerificationNeeded {}

  private enum AllAnswered implements Command, NoSerializationVerificationNeeded { INSTANCE }

  private enum GiveUp implements Command, NoSerializationVerificationNeeded { INSTANCE }

  private record Fence(ActorRef<WorkSupervisor.Command> supervisor, ActorRef<Worker.Command> routee) {}

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final List<ActorRef<Worker.Command>> routees;
  private final NodeMetrics metrics;
  private final Set<Fence> awaited = new HashSet<>();
  private CompletableFuture<Done> done;
  private boolean awaitingAnswers;
  private long startNanos;

  public static Behavior<Command> create(List<ActorRef<Worker.Command>> routees, NodeMetrics metrics) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new NodeDrain(ctx, timers, routees, metrics).idle()));
  }

  private NodeDrain(ActorContext<Command> context, TimerScheduler<Command> timers, List<ActorRef<Worker.Command>> routees, NodeMetrics metrics) {
    this.context = context;
    context.setLoggerName(NodeDrain.class); // see WorkSupervisor's constructor
    this.timers = timers;
    this.routees = List.copyOf(routees);
    this.metrics = metrics;
  }

  private Behavior<Command> idle() {
    return Behaviors.receive(Command.class).onMessage(Start.class, this::onStart).build();
  }

  private Behavior<Command> onStart(Start start) {
    done = start.done();
    startNanos = System.nanoTime();
    if (routees.isEmpty()) return finish();
    for (ActorRef<Worker.Command> routee : routees) {
      context.getSystem().receptionist().tell(Receptionist.deregister(Worker.SERVICE_KEY, routee));
    }
    ActorRef<Receptionist.Listing> listed = context.messageAdapter(Receptionist.Listing.class, SupervisorsListed::new);
    context.getSystem().receptionist().tell(Receptionist.find(WorkSupervisor.SERVICE_KEY, listed));
    timers.startSingleTimer(GiveUp.INSTANCE, start.timeout());
    return Behaviors.receive(Command.class)
        .onMessage(SupervisorsListed.class, this::onSupervisors)
        .onMessage(FenceReached.class, this::onFence)
        .onMessage(SupervisorGone.class, this::onSupervisorGone)
        .onMessage(AllAnswered.class, answered -> onAllAnswered())
        .onMessage(GiveUp.class, giveUp -> onGiveUp())
        .build();
  }

  private Behavior<Command> onSupervisors(SupervisorsListed listed) {
    Set<ActorRef<WorkSupervisor.Command>> supervisors = listed.listing().getServiceInstances(WorkSupervisor.SERVICE_KEY);
    for (ActorRef<WorkSupervisor.Command> supervisor : supervisors) {
      for (ActorRef<Worker.Command> routee : routees) awaited.add(new Fence(supervisor, routee));
      context.watchWith(supervisor, new SupervisorGone(supervisor));
      supervisor.tell(new WorkSupervisor.Retire(routees, context.getSelf()));
    }
    context.getLog().info("Draining {} routees: {} supervisors asked to send them nothing more", routees.size(), supervisors.size());
    return check();
  }

  private Behavior<Command> onFence(FenceReached reached) {
    awaited.remove(new Fence(reached.supervisor(), reached.routee()));
    return check();
  }

  private Behavior<Command> onSupervisorGone(SupervisorGone gone) {
    awaited.removeIf(fence -> fence.supervisor().equals(gone.supervisor()));
    return check();
  }

  private Behavior<Command> onAllAnswered() {
    awaitingAnswers = false;
    return check();
  }

  /**
   * Drained once every fence is through and nothing taken in is unanswered. The count is awaited only
   * once the fences are through: from then on it only goes down, so its zero is final.
   */
  private Behavior<Command> check() {
    if (!awaited.isEmpty()) return Behaviors.same();
    if (metrics.running.sum() == 0) return finish();
    if (!awaitingAnswers) {
      awaitingAnswers = true;
      context.pipeToSelf(metrics.running.whenIdle(), (idle, failure) -> AllAnswered.INSTANCE);
    }
    return Behaviors.same();
  }

  private Behavior<Command> onGiveUp() {
    context.getLog().warn("Drain gave up after {}: {} fences missing, {} attempts unanswered; other nodes re-run them",
        Duration.ofNanos(System.nanoTime() - startNanos), awaited.size(), metrics.running.sum());
    done.complete(Done.getInstance());
    return Behaviors.stopped();
  }

  private Behavior<Command> finish() {
    context.getLog().info("Drained {} routees in {} ms: every attempt sent to them is answered",
        routees.size(), (System.nanoTime() - startNanos) / 1_000_000);
    done.complete(Done.getInstance());
    return Behaviors.stopped();
  }
}
