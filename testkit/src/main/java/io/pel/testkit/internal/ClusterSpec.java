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
    boolean awaitUp) {

  /** The actor system name node {@code node} runs: its {@code pel.system-name} property, else {@code pel}. */
  public String systemName(int node) {
    return nodeProperties.getOrDefault(node, Map.of()).getOrDefault("pel.system-name",
        properties.getOrDefault("pel.system-name", "pel"));
  }
}
