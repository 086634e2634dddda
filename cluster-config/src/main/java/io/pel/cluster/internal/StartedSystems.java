package io.pel.cluster.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The actor systems {@link io.pel.cluster.PelNode#start} has started in this JVM and that have not terminated
 * yet. Lets code that runs beside a node's own {@code main} (the testkit's child wrapper) find the node's
 * system without the application handing it over.
 *
 * <p>One lock guards the set and the listeners, and listeners run while it is held, so a listener sees
 * every system exactly once: those already running when it is added, then each later one, in start order.
 * Listeners must therefore be quick and must not start a node themselves.
 */
public final class StartedSystems {

  private static final Object LOCK = new Object();
  // A list compared by identity: typed actor systems are equal when their names are (they are actor refs).
  private static final List<ActorSystem<?>> RUNNING = new ArrayList<>();
  private static final List<Consumer<ActorSystem<?>>> LISTENERS = new ArrayList<>();

  private StartedSystems() {}

  /**
   * Calls {@code listener} for every system started by {@code PelNode.start} that is still running, then for
   * every one started later.
   */
  public static void onStart(Consumer<ActorSystem<?>> listener) {
    Objects.requireNonNull(listener, "listener");
    synchronized (LOCK) {
      LISTENERS.add(listener);
      for (ActorSystem<?> system : RUNNING) listener.accept(system);
    }
  }

  /** The systems started by {@code PelNode.start} that have not terminated, in start order. */
  public static List<ActorSystem<?>> running() {
    synchronized (LOCK) {
      // The removal below runs on a callback that may lag the termination a caller has just awaited.
      return RUNNING.stream().filter(system -> !system.whenTerminated().isCompleted()).toList();
    }
  }

  /**
   * Records a system just created by {@code PelNode.start} and tells the listeners; the system leaves the
   * set when it terminates. Called by {@code PelNode} only.
   */
  public static void started(ActorSystem<?> system) {
    Objects.requireNonNull(system, "system");
    synchronized (LOCK) {
      RUNNING.add(system);
      for (Consumer<ActorSystem<?>> listener : LISTENERS) listener.accept(system);
    }
    system.getWhenTerminated().whenComplete((done, failure) -> {
      synchronized (LOCK) {
        RUNNING.removeIf(running -> running == system);
      }
    });
  }
}
