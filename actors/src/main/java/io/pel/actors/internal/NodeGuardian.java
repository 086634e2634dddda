package io.pel.actors.internal;

import io.pel.cluster.PelSettings;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The root of a node: spawns its supervisor and its routees (on {@code pel.worker-dispatcher}), tells the
 * supervisor of its own routees at once and registers them with the Receptionist for the rest of the
 * cluster.
 */
public final class NodeGuardian {

  private NodeGuardian() {}

  /** The guardian; {@code supervisorReady} completes with the supervisor once it exists. */
  public static Behavior<Void> create(
      PelSettings settings, Worker.Environment environment, Admission admission,
      CompletableFuture<ActorRef<WorkSupervisor.Command>> supervisorReady) {
    return Behaviors.setup(ctx -> {
      long nodeUid = Cluster.get(ctx.getSystem()).selfMember().uniqueAddress().longUid();
      ActorRef<WorkSupervisor.Command> supervisor =
          ctx.spawn(WorkSupervisor.create(settings, admission, environment.metrics(), nodeUid), "supervisor");
      environment.submitter().attach(supervisor);
      DispatcherSelector workerDispatcher = DispatcherSelector.fromConfig("pel.worker-dispatcher");
      for (int i = 0; i < settings.workersPerNode(); i++) {
        ActorRef<Worker.Command> worker = ctx.spawn(Worker.create(environment), "worker-" + i, workerDispatcher);
        supervisor.tell(new WorkSupervisor.RouteeStarted(worker));
        ctx.getSystem().receptionist().tell(Receptionist.register(Worker.SERVICE_KEY, worker));
      }
      supervisorReady.complete(supervisor);
      return Behaviors.empty();
    });
  }
}
