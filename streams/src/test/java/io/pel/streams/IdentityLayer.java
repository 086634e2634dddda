package io.pel.streams;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.Layers;
import io.pel.actors.TaskType;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;

/**
 * The layer the Reactive Streams tests run on, with an identity task registered, and the one flow under
 * test that runs each element as such a task.
 */
final class IdentityLayer {

  static final TaskType<Integer, Integer> IDENTITY = TaskType.of("identity", Integer.class, Integer.class);

  private IdentityLayer() {}

  /** A fresh two-routee layer that runs {@link #IDENTITY}; the caller closes it. */
  static ExecutionLayer start() {
    ExecutionLayer layer = Layers.start("pel.workers-per-node = 2");
    layer.register(IDENTITY, (x, ctx) -> x);
    return layer;
  }

  /**
   * Closes {@code layer}, failing if no task succeeded on it: a guard that the elements the TCK pushed
   * really ran as layer tasks.
   */
  static void closeAfterTasksRan(ExecutionLayer layer) {
    layer.close();
    if (layer.stats().succeeded() == 0) throw new AssertionError("no element ran as a layer task: " + layer.stats());
  }

  /** The flow under test: every element becomes an {@link #IDENTITY} task on {@code layer}, in order. */
  static Flow<Integer, Integer, NotUsed> layerFlow(ExecutionLayer layer) {
    return ParallelFlow.of(layer, IDENTITY).parallelism(4).flow();
  }
}
