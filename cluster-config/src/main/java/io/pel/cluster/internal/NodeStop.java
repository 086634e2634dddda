package io.pel.cluster.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * When a node has stopped: its actor system has terminated or, failing that, its coordinated shutdown
 * has run every phase before the system's termination and the termination has had its phase's time.
 *
 * <p>The bound exists because a terminating system may wait on its peers. Artery's TLS connections do not
 * close when their sending side completes ({@code IgnoreComplete}): the transport's shutdown waits for the
 * peer to close the connection. Now and then (a race with the peer's quarantine of this node, seen about
 * once in ten closes under load) the peer never does while it runs, and an unbounded wait for termination
 * would hang a node that has long left the cluster. Past the bound the node runs nothing and is out of the
 * cluster; only the transport's threads are left, and they end when the peers close their connections.
 */
public final class NodeStop {

  private static final String TERMINATE_TIMEOUT = "pekko.coordinated-shutdown.phases.actor-system-terminate.timeout";

  private final ActorSystem<?> system;
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();

  private NodeStop(ActorSystem<?> system, Executor afterGrace) {
    this.system = system;
    system.getWhenTerminated().whenComplete((done, failure) -> stopped.complete(null));
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(Adapter.toClassic(system));
    shutdown.addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "pel-stop-bound", () -> {
      CompletableFuture.runAsync(() -> stopped.complete(null), afterGrace);
      return CompletableFuture.completedFuture(Done.getInstance());
    });
  }

  /**
   * Watches {@code system}, whose termination gets Pekko's {@code actor-system-terminate} phase timeout
   * (and a second more) after the phases before it have run.
   */
  public static NodeStop watch(ActorSystem<?> system) {
    Duration grace = system.settings().config().getDuration(TERMINATE_TIMEOUT).plusSeconds(1);
    return watch(system, grace);
  }

  /** As {@link #watch(ActorSystem)} with the termination's time given. */
  public static NodeStop watch(ActorSystem<?> system, Duration terminateGrace) {
    Executor afterGrace = CompletableFuture.delayedExecutor(terminateGrace.toMillis(), TimeUnit.MILLISECONDS);
    return new NodeStop(system, afterGrace);
  }

  /** Completes once the node has stopped, as above. */
  public CompletionStage<Void> stopped() {
    return stopped.copy();
  }

  /** Whether the actor system itself has terminated (not only the node stopped). */
  public boolean terminated() {
    return system.whenTerminated().isCompleted();
  }
}
