package io.pel.actors.internal;

import io.pel.cluster.PelSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.typed.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root of a node: spawns its supervisor and, on a node with the {@code worker} role, its routees (on
 * {@code pel.worker-dispatcher}); tells the supervisor of its own routees at once and registers both with
 * the Receptionist for the rest of the cluster.
 *
 * <p>It also adds the node's graceful leave to Pekko's coordinated shutdown (run by {@code close()}, by
 * SIGTERM, and by a cluster leave), first of all phases: stop accepting tasks, wait up to {@code
 * pel.shutdown-drain-timeout} for the accepted ones, then {@link NodeDrain} the routees so that what other
 * nodes sent them is answered, not re-run. A node being downed skips it: the cluster has already given
 * its work to others.
 */
public final class NodeGuardian {

  /** The least time the routees' drain gets, even after a drain of accepted tasks that timed out. */
  private static final Duration MIN_ROUTEE_DRAIN = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(NodeGuardian.class);

  private NodeGuardian() {}

  /** The guardian; {@code supervisorReady} completes with the supervisor once it exists. */
  public static Behavior<Void> create(
      PelSettings settings, Worker.Environment environment, Admission admission,
      CompletableFuture<ActorRef<WorkSupervisor.Command>> supervisorReady) {
    return Behaviors.setup(ctx -> {
      Cluster cluster = Cluster.get(ctx.getSystem());
      long nodeUid = cluster.selfMember().uniqueAddress().longUid();
      ActorRef<WorkSupervisor.Command> supervisor =
          ctx.spawn(WorkSupervisor.create(settings, admission, environment.metrics(), nodeUid, environment.submitter().intake(), environment.registry()), "supervisor");
      environment.submitter().attach(supervisor);
      ctx.getSystem().receptionist().tell(Receptionist.register(WorkSupervisor.SERVICE_KEY, supervisor));
      int count = settings.workersPerNode();
      environment.metrics().localRoutees = count;
      if (count == 0) ctx.getLog().info("No routees on this node (no role {} or workers-per-node = 0): it submits tasks to others", PelSettings.WORKER_ROLE);
      DispatcherSelector workerDispatcher = DispatcherSelector.fromConfig("pel.worker-dispatcher");
      List<ActorRef<Worker.Command>> routees = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ActorRef<Worker.Command> routee = ctx.spawn(Worker.create(environment), "worker-" + i, workerDispatcher);
        routees.add(routee);
        supervisor.tell(new WorkSupervisor.RouteeStarted(routee));
        ctx.getSystem().receptionist().tell(Receptionist.register(Worker.SERVICE_KEY, routee));
      }
      ActorRef<NodeDrain.Command> drain = ctx.spawn(NodeDrain.create(routees, environment.metrics()), "drain");
      CoordinatedShutdown shutdown = CoordinatedShutdown.get(Adapter.toClassic(ctx.getSystem()));
      shutdown.addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "pel-drain",
          () -> leave(shutdown, settings, admission, drain));
      supervisorReady.complete(supervisor);
      return Behaviors.empty();
    });
  }

  /** Runs on a coordinated-shutdown thread, outside any actor. */
  private static CompletionStage<Done> leave(
      CoordinatedShutdown shutdown, PelSettings settings, Admission admission, ActorRef<NodeDrain.Command> drain) {
    admission.close();
    if (shutdown.getShutdownReason().filter(CoordinatedShutdown.clusterDowningReason()::equals).isPresent()) {
      LOG.warn("PEL node downed by the cluster: {} accepted tasks are not awaited", admission.accepted());
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    Duration timeout = settings.shutdownDrainTimeout();
    long start = System.nanoTime();
    if (admission.accepted() > 0) LOG.info("PEL node leaving: waiting up to {} for {} accepted tasks", timeout, admission.accepted());
    return admission.drained().copy()
        .completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS)
        .thenCompose(ignored -> {
          if (admission.accepted() > 0) {
            LOG.warn("PEL node leaving: {} accepted tasks still running after {}; they fail", admission.accepted(), timeout);
          }
          Duration left = timeout.minusNanos(System.nanoTime() - start);
          CompletableFuture<Done> drained = new CompletableFuture<>();
          drain.tell(new NodeDrain.Start(drained, left.compareTo(MIN_ROUTEE_DRAIN) < 0 ? MIN_ROUTEE_DRAIN : left));
          return drained;
        });
  }
}
