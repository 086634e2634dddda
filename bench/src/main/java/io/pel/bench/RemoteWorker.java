package io.pel.bench;

import io.pel.actors.ExecutionLayer;

/**
 * The worker JVM of the {@code remote} workload, started by {@link RemoteWorkerJvm} through the test kit:
 * a PEL node with the worker role that registers the remote workload's task and runs whatever the client
 * in the bench's JVM sends it. It prints {@value #READY}{@code <routees>} once the handler is registered,
 * then runs until it is killed or its parent JVM goes away.
 */
public final class RemoteWorker {

  /** The line the worker prints, followed by its number of routees, once it can run tasks. */
  public static final String READY = "pel-bench remote worker ready, routees=";

  private RemoteWorker() {}

  /** Starts the node from the {@code PEL_*} environment the test kit sets. */
  public static void main(String[] args) {
    ExecutionLayer layer = ExecutionLayer.start();
    RemoteWorkload.registerTasks(layer);
    System.out.println(READY + layer.settings().workersPerNode());
    layer.whenStopped().toCompletableFuture().join();
  }
}
