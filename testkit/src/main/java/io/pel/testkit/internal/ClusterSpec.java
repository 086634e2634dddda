package io.pel.testkit.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a cluster of node JVMs is to be, as the builder collected it; immutable.
 *
 * @param mainClass the binary name of the nodes' main class
 * @param classPath the nodes' class path, before the testkit's own classes; empty for the test's class path
 * @param nodes how many nodes, 1..16
 * @param args program arguments of every node
 * @param jvmOptions JVM options of every node
 * @param properties system properties of every node, in order
 * @param env environment variables of every node
 * @param nodeProperties system properties of single nodes (by index from 1), over {@code properties}
 * @param nodeEnv environment variables of single nodes, over {@code env}
 * @param roles cluster roles of single nodes
 * @param startTimeout how long start and restart wait for the nodes to be Up
 * @param awaitUp whether start and restart wait for the nodes to be Up at all
 * @param ownAddresses whether each node binds a loopback address of its own ({@link #host}), so that the
 *     network between chosen nodes can be cut
 * @param seedNodes whether the testkit gives the nodes seed nodes; without, they find each other themselves
 */
public record ClusterSpec(
    String mainClass,
    List<String> classPath,
    int nodes,
    List<String> args,
    List<String> jvmOptions,
    Map<String, String> properties,
    Map<String, String> env,
    Map<Integer, Map<String, String>> nodeProperties,
    Map<Integer, Map<String, String>> nodeEnv,
    Map<Integer, List<String>> roles,
    Duration startTimeout,
    boolean awaitUp,
    boolean ownAddresses,
    boolean seedNodes) {

  /** The first node's own loopback address is 127.0.0.(this + 1); 127.0.0.1 stays the test's own. */
  static final int FIRST_OWN_ADDRESS = 10;

  /** The address node {@code node} binds and announces: 127.0.0.1, or with own addresses 127.0.0.(10 + node). */
  public String host(int node) {
    return ownAddresses ? "127.0.0." + (FIRST_OWN_ADDRESS + node) : "127.0.0.1";
  }

  /** The actor system name node {@code node} runs: its {@code pel.system-name} property, else {@code pel}. */
  public String systemName(int node) {
    return nodeProperties.getOrDefault(node, Map.of()).getOrDefault("pel.system-name",
        properties.getOrDefault("pel.system-name", "pel"));
  }
}
