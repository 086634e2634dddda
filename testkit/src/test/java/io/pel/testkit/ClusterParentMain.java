package io.pel.testkit;

import java.util.stream.Collectors;

/**
 * A stand-in for a test JVM, for {@link ReapingTest}: starts a cluster of {@code args[0]} echo nodes, prints
 * their process ids on a line {@code node-pids <pid>,<pid>}, then waits until it is killed.
 */
final class ClusterParentMain {

  private ClusterParentMain() {}

  public static void main(String[] args) throws InterruptedException {
    JvmCluster cluster = JvmCluster.builder(EchoNode.class).nodes(Integer.parseInt(args[0])).start();
    System.out.println("node-pids " + cluster.nodes().stream().map(node -> Long.toString(node.pid())).collect(Collectors.joining(",")));
    Thread.currentThread().join();
  }
}
