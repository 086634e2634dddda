package io.pel.testkit;

import io.pel.testkit.internal.ClusterSpec;
import io.pel.testkit.internal.LogDirectories;
import io.pel.testkit.internal.LogTail;
import io.pel.testkit.internal.LoopbackPorts;
import io.pel.testkit.internal.NodeLauncher;
import io.pel.testkit.internal.PacketFilter;
import io.pel.testkit.internal.Waits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * A cluster of real JVMs, each running a main class of the test's class path as a PEL node, on free loopback
 * ports. Built by {@link #builder(Class)}; {@link JvmClusterBuilder#start()} returns once every node sees
 * every node Up. Each node is driven through its {@link JvmNode} handle.
 *
 * <p>A node runs {@code java <jvm options> -D<properties> ... <main class> <args>} with the environment
 * {@code PEL_HOST=127.0.0.1}, {@code PEL_PORT=<its port>} and {@code PEL_SEED_NODES}: node 1 lists only
 * itself, so it forms the cluster at once, and the others join through it (with {@link
 * JvmClusterBuilder#withoutSeedNodes()} it is empty, for nodes that find each other). Its main method must start
 * the node with {@code io.pel.cluster.PelNode.start} (as {@code ExecutionLayer.start()} does), which reads
 * that environment. Stdout and stderr of node {@code i} go to {@code node-<i>.log} in {@link
 * #logDirectory()}; a restart adds to the same file after a line starting {@code ==== restart}.
 *
 * <p>{@link #close()} kills every node and waits for it to exit. Nodes are also killed by a shutdown hook
 * of the test JVM, and a node exits by itself when the test JVM dies (it sees its stdin close), so no node
 * outlives the test that started it.
 *
 * <p>Thread-safe; the handles may be used from several threads. All waits wait for the event itself, never
 * for a fixed time.
 */
public final class JvmCluster implements AutoCloseable {

  private final ClusterSpec spec;
  private final Path logDirectory;
  private final NodeLauncher launcher;
  private final List<Integer> ports;
  private final List<JvmNode> nodes;
  private final Object monitor = new Object();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final PacketFilter packetFilter = new PacketFilter();

  private JvmCluster(ClusterSpec spec, Path logDirectory, List<Integer> ports) {
    this.spec = spec;
    this.logDirectory = logDirectory;
    this.launcher = spec.ownAddresses() ? new NodeLauncher(spec, logDirectory, packetFilter::commandPrefix) : new NodeLauncher(spec, logDirectory);
    this.ports = ports;
    List<JvmNode> handles = new ArrayList<>();
    for (int i = 1; i <= spec.nodes(); i++) {
      handles.add(new JvmNode(this, i, ports.get(i - 1), logDirectory.resolve("node-" + i + ".log")));
    }
    this.nodes = List.copyOf(handles);
  }

  /**
   * A builder of a cluster whose nodes run {@code mainClass}.
   *
   * @param mainClass a class of the test class path with a {@code static void main(String[])} (it need not
   *     be public) that starts a PEL node
   * @throws NullPointerException if {@code mainClass} is null
   * @throws IllegalArgumentException if it has no such main method
   */
  public static JvmClusterBuilder builder(Class<?> mainClass) {
    return new JvmClusterBuilder(mainClass);
  }

  /**
   * A builder of a cluster whose nodes run {@code mainClass} from {@code classPath} instead of the test's
   * class path: a program this JVM does not load itself, such as an application's own node started from
   * its jars. The testkit's own classes are added after {@code classPath}, since a node runs its main
   * method under the testkit; everything else the node needs (PEL, Pekko) must be in {@code classPath}.
   * The main class is looked up in the node: if it is missing there, the node exits at once with code 2
   * and says so in its log.
   *
   * @param mainClass the binary name of a class with a {@code static void main(String[])} that starts a PEL node
   * @param classPath the node's class path entries (jars or class directories), in order
   * @throws NullPointerException if an argument or an entry is null
   * @throws IllegalArgumentException if {@code mainClass} is not a binary class name or {@code classPath} is empty
   */
  public static JvmClusterBuilder builder(String mainClass, List<Path> classPath) {
    return new JvmClusterBuilder(mainClass, classPath);
  }

  static JvmCluster start(ClusterSpec spec, Path logDirectory) {
    List<Integer> ports = LoopbackPorts.reserve(spec.nodes());
    JvmCluster cluster;
    try {
      cluster = new JvmCluster(spec, logDirectory, ports);
    } catch (RuntimeException e) {
      LoopbackPorts.release(ports);
      throw e;
    }
    try {
      List<String> seed = spec.seedNodes() ? List.of(hostPort(cluster.nodes.get(0))) : List.of();
      for (JvmNode node : cluster.nodes) node.launch(seed);
      if (spec.awaitUp()) cluster.awaitMembership(cluster.nodes, spec.startTimeout(), "start");
      return cluster;
    } catch (RuntimeException | Error e) {
      try {
        cluster.close();
      } catch (RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  /** How many nodes the cluster has. */
  public int size() {
    return nodes.size();
  }

  /**
   * The handle of node {@code index}.
   *
   * @param index from 1 to {@link #size()}
   * @throws IndexOutOfBoundsException if there is no such node
   */
  public JvmNode node(int index) {
    if (index < 1 || index > nodes.size()) {
      throw new IndexOutOfBoundsException("node " + index + " of a cluster of " + nodes.size() + " (nodes count from 1)");
    }
    return nodes.get(index - 1);
  }

  /** The handles of all nodes, node 1 first. */
  public List<JvmNode> nodes() {
    return nodes;
  }

  /**
   * Cuts the network between every node of {@code side} and every node of {@code other}, both ways, with
   * packet filter rules: packets are dropped, as by a cut cable, so open connections stall and the failure
   * detectors decide. Nodes on the same side still reach each other. Needs a cluster built with {@link
   * JvmClusterBuilder#ownAddresses()} and a machine where {@link #whyNoPartitions()} is empty. Cuts add up
   * until {@link #heal()}; closing the cluster removes them.
   *
   * @throws IllegalStateException if the nodes share an address, or the rules cannot be set (the message says why)
   */
  public void partition(Collection<JvmNode> side, Collection<JvmNode> other) {
    checkOpen();
    if (!spec.ownAddresses()) {
      throw new IllegalStateException("the nodes share 127.0.0.1: build the cluster with ownAddresses() to partition it");
    }
    for (JvmNode node : side) {
      if (other.contains(node)) throw new IllegalArgumentException("node " + node.index() + " is on both sides");
    }
    packetFilter.cut(endpoints(side), endpoints(other));
  }

  private static List<PacketFilter.Endpoint> endpoints(Collection<JvmNode> nodes) {
    return nodes.stream().map(node -> new PacketFilter.Endpoint(node.index(), node.host())).toList();
  }

  /** Removes every cut {@link #partition} made: the nodes reach each other again. */
  public void heal() {
    packetFilter.heal();
  }

  /**
   * Why {@link #partition} cannot cut the network on this machine (no iptables, or no right to change its
   * rules), or empty if it can. A test that needs partitions skips with this reason, as in {@code
   * assumeTrue(JvmCluster.whyNoPartitions().isEmpty(), () -> JvmCluster.whyNoPartitions().get())}.
   */
  public static Optional<String> whyNoPartitions() {
    return PacketFilter.unavailable();
  }

  /** The directory of the node logs ({@code node-<i>.log}). */
  public Path logDirectory() {
    return logDirectory;
  }

  /**
   * Waits until every running node sees exactly the running nodes Up (their current runs: a killed node
   * that came back counts only in its new run). Use it after {@link JvmNode#stop()} or {@link
   * JvmNode#kill()} to wait for the others to have removed or downed it.
   *
   * @throws JvmClusterException naming the nodes that do not, with the end of their logs, if that does not
   *     happen in time or a running node exits meanwhile
   */
  public void awaitMembersUp(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    awaitMembership(running(), timeout, "awaitMembersUp");
  }

  /**
   * Kills every node that is still running (SIGKILL, with its descendants) and waits for each to exit.
   * Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    RuntimeException failure = null;
    for (JvmNode node : nodes) {
      try {
        node.killIfRunning();
      } catch (RuntimeException e) {
        if (failure == null) failure = e; else failure.addSuppressed(e);
      }
    }
    LoopbackPorts.release(ports);
    try {
      packetFilter.close();
    } catch (RuntimeException e) {
      if (failure == null) failure = e; else failure.addSuppressed(e);
    }
    if (failure != null) throw failure;
  }

  /** The status and the last {@code lines} lines of every node's log, for a failed test. */
  String report(int lines) {
    StringBuilder out = new StringBuilder("nodes of the cluster, logs in " + logDirectory + ":\n");
    for (JvmNode node : nodes) out.append("  node ").append(node.index()).append(": ").append(node.describe()).append('\n');
    for (JvmNode node : nodes) {
      out.append("last ").append(lines).append(" lines of ").append(node.logFile()).append(":\n")
          .append(LogTail.of(node.logFile(), lines));
    }
    return out.toString();
  }

  Object monitor() {
    return monitor;
  }

  ClusterSpec spec() {
    return spec;
  }

  NodeLauncher launcher() {
    return launcher;
  }

  void checkOpen() {
    if (closed.get()) throw new IllegalStateException("the cluster is closed");
  }

  List<JvmNode> running() {
    return nodes.stream().filter(JvmNode::isAlive).toList();
  }

  static String hostPort(JvmNode node) {
    return node.host() + ":" + node.port();
  }

  /**
   * Restarts a node that has exited: same port, seed nodes = the other running nodes (itself if there are
   * none; none without seed nodes), then, unless the cluster does not await Up, waits until all running nodes see each other Up.
   */
  void restart(JvmNode node) {
    synchronized (node) {
      checkOpen();
      if (node.isAlive()) {
        throw new IllegalStateException("node " + node.index() + " is running; kill() or stop() it before restart()");
      }
      List<String> seeds = running().stream().map(JvmCluster::hostPort).toList();
      if (!spec.seedNodes()) seeds = List.of();
      else if (seeds.isEmpty()) seeds = List.of(hostPort(node));
      node.launch(seeds);
    }
    if (spec.awaitUp()) awaitMembership(running(), spec.startTimeout(), "restart of node " + node.index());
  }

  /**
   * Waits until each of {@code expected} reports exactly the member ids of {@code expected}'s current runs
   * as Up. Comparing member ids (address and uid) rather than counts or addresses keeps the old run of a
   * restarted node, still Up in another node's eyes until it is downed, from passing for the new one.
   */
  private void awaitMembership(List<JvmNode> expected, Duration timeout, String purpose) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<JvmNode> failing;
    String reason;
    synchronized (monitor) {
      while (true) {
        List<JvmNode> exited = expected.stream().filter(node -> !node.isAlive()).toList();
        if (!exited.isEmpty()) {
          failing = exited;
          reason = "exited";
          break;
        }
        Set<String> ids = new HashSet<>();
        for (JvmNode node : expected) ids.add(node.self());
        List<JvmNode> behind = expected.stream()
            .filter(node -> ids.contains(null) || node.membersUpIds() == null || !ids.equals(new HashSet<>(node.membersUpIds())))
            .toList();
        if (behind.isEmpty()) return;
        if (!Waits.waitOn(monitor, deadline, "the nodes to see each other Up")) {
          failing = behind;
          reason = "did not see all " + expected.size() + " running nodes Up within " + timeout;
          break;
        }
      }
    }
    throw new JvmClusterException(failureMessage(purpose, expected, failing, reason));
  }

  private String failureMessage(String purpose, List<JvmNode> expected, List<JvmNode> failing, String reason) {
    String names = failing.stream().map(node -> Integer.toString(node.index())).collect(Collectors.joining(", "));
    StringBuilder out = new StringBuilder(purpose + " failed: node" + (failing.size() > 1 ? "s " : " ") + names + " " + reason
        + ". Expected Up: " + expected.stream().map(JvmNode::address).toList() + "\n");
    for (JvmNode node : nodes) {
      out.append("  node ").append(node.index()).append(" (").append(node.address()).append("): ").append(node.describe()).append('\n');
    }
    if (failing.stream().anyMatch(node -> node.isAlive() && node.self() == null)) {
      out.append("  (a node's main method must start the node with io.pel.cluster.PelNode.start or ExecutionLayer.start)\n");
    }
    for (JvmNode node : failing) {
      out.append("last 30 lines of ").append(node.logFile()).append(":\n").append(LogTail.of(node.logFile(), 30));
    }
    return out.toString();
  }
}
