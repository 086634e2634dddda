package io.pel.bench;

import io.pel.actors.ExecutionLayer;
import java.util.List;

/** A benchmark workload: fixed, generated input (from fixed seeds) and the engines that process it. */
public interface Workload {

  /** The name given on the command line. */
  String name();

  /** What is counted in throughput: "tasks", "elements", "MB". */
  String unit();

  /** How many units one run processes. */
  double amount();

  /** Registers the workload's task types on {@code layer} (on every node of a cluster). */
  void register(ExecutionLayer layer);

  /**
   * The engines, in the order they run; generates the input first if it has not been. The engines use
   * {@code context}'s layer and Pekko system.
   */
  List<Engine> engines(BenchContext context);

  /**
   * The least time, at scale 1, that each engine's warm-up runs last when warm-ups are asked for: more runs
   * follow the {@code --warmups} given until it has passed. 0 for most workloads, whose code is compiled
   * after one run.
   */
  default double warmupSeconds() {
    return 0;
  }
}
