package io.pel.testkit;

import io.pel.testkit.internal.NodeProcess;
import io.pel.testkit.internal.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The handle of one node of a {@link JvmCluster}: its port and address, which stay the same across
 * restarts, and its current run (process id, output, membership, commands).
 *
 * <p>Waits ({@code await*}, {@link #call}) wait for the event itself and fail as soon as the node exits
 * instead of waiting out their timeout. Line and membership waits fail with an {@link AssertionError}, as
 * an unmet expectation of the test; the node's infrastructure failing gives a {@link JvmClusterException}.
 */
public final class JvmNode {

  private final JvmCluster cluster;
  private final int index;
  private final int port;
  private final Path logFile;
  private volatile NodeProcess process;
  private int runs;

  JvmNode(JvmCluster cluster, int index, int port, Path logFile) {
    this.cluster = cluster;
    this.index = index;
    this.port = port;
    this.logFile = logFile;
  }

  /** Starts a run of this node with {@code seeds} ({@code host:port}) as its seed nodes. */
  synchronized void launch(List<String> seeds) {
    runs++;
    String header = (runs == 1 ? "==== " : "==== restart: ") + "node " + index + " run " + runs + ", PEL_PORT=" + port
        + ", PEL_SEED_NODES=" + String.join(",", seeds);
    process = NodeProcess.start(index, cluster.monitor(), cluster.launcher().builder(index, port, seeds), logFile, runs > 1, header);
  }

  /** The node's index in its cluster, from 1. */
  public int index() {
    return index;
  }

  /** The node's Artery port; a restart keeps it. */
  public int port() {
    return port;
  }

  /** The address the node binds and announces: 127.0.0.1, or its own with {@link JvmClusterBuilder#ownAddresses()}. */
  public String host() {
    return cluster.spec().host(index);
  }

  /**
   * Freezes the node with SIGSTOP, as a long GC pause or a hung VM would: it keeps its connections and its
   * membership, answers nothing, and its peers' failure detectors see it go silent. {@link #resume()} lets it
   * go on; a stop or kill of a paused node works as usual.
   *
   * @throws IllegalStateException if the node has exited
   */
  public void pause() {
    process.pause();
  }

  /** Lets a {@link #pause() paused} node go on (SIGCONT), its timers firing late. */
  public void resume() {
    process.resume();
  }

  /** Whether the node's current run is paused. */
  public boolean isPaused() {
    return process.isPaused();
  }

  /**
   * The node's address, {@code pekko://<system>@<host>:<port>}: as the node reported it once its actor
   * system started, before that with the system name of its {@code pel.system-name} property (default
   * {@code pel}).
   */
  public String address() {
    String self = process.output().self();
    if (self != null) return Protocol.address(self);
    return "pekko://" + cluster.spec().systemName(index) + "@" + JvmCluster.hostPort(this);
  }

  /** The process id of the node's current run. */
  public long pid() {
    return process.pid();
  }

  /** True while the current run's process is running (false once it has exited and its output was read). */
  public boolean isAlive() {
    NodeProcess current = process;
    return current != null && current.output().isRunning();
  }

  /** The node's log file: the merged stdout and stderr of all its runs. */
  public Path logFile() {
    return logFile;
  }

  /** The lines the current run has printed so far (without the testkit's protocol lines). */
  public List<String> lines() {
    return process.output().lines();
  }

  /**
   * Kills the node with SIGKILL (its descendants too) and waits for it to exit. Does nothing if it has
   * exited already. The other nodes notice through their failure detector and the split brain resolver
   * downs it: within about 10 s with the builder's default settings.
   *
   * @throws JvmClusterException if it has not exited 30 s after SIGKILL
   */
  public void kill() {
    process.kill();
  }

  /** {@link #stop(Duration)} with a timeout of 30 s. */
  public int stop() {
    return stop(Duration.ofSeconds(30));
  }

  /**
   * Stops the node with SIGTERM, which runs Pekko's coordinated shutdown (the node leaves the cluster), and
   * waits for it to exit. A node that has exited already is left as it is.
   *
   * @return the exit code: 143 (128 + SIGTERM) for a JVM that ends through its shutdown hooks; the
   *     earlier exit code if it had exited already
   * @throws JvmClusterException if it does not exit within {@code timeout}; it is then killed
   */
  public int stop(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return process.stop(timeout);
  }

  /**
   * Starts the node again after it exited: same port, and the other running nodes as its seed nodes (itself
   * if none is running), so that it joins the existing cluster, whichever node it is. Unless the cluster was
   * built with {@code awaitUp(false)}, waits until every running node sees every running node Up, this
   * node's new run included. Its output goes on in the same log file after a {@code ==== restart} line.
   *
   * @throws IllegalStateException if the node is running, or the cluster is closed
   * @throws JvmClusterException if the nodes do not see each other Up within the start timeout
   */
  public void restart() {
    cluster.restart(this);
  }

  /**
   * Waits for the first line of the current run that matches {@code regex} ({@link java.util.regex.Matcher#find}),
   * among the lines printed so far and then those to come, and returns it.
   *
   * @throws AssertionError if none does in time, or the node exits without printing one
   */
  public String awaitLine(String regex, Duration timeout) {
    return awaitLine(Pattern.compile(regex), timeout);
  }

  /** {@link #awaitLine(String, Duration)} with a compiled pattern. */
  public String awaitLine(Pattern pattern, Duration timeout) {
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(timeout, "timeout");
    return process.output().awaitLine(pattern, timeout);
  }

  /**
   * Runs a command in the node: the handler registered with {@link NodeCommands#register} under the
   * command's first word gets the rest, and its reply is returned.
   *
   * @throws IllegalArgumentException if the command is blank
   * @throws NodeCommandException if the handler threw or returned null, or no handler has that name
   * @throws JvmClusterException if there is no reply in time, or the node is not running or exits first
   */
  public String call(String command, Duration timeout) {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(timeout, "timeout");
    if (command.isBlank()) throw new IllegalArgumentException("command is blank");
    return process.call(command, timeout);
  }

  /**
   * {@link #call}, with the reply read by {@link #fields}: for commands that report as {@code key=value}
   * pairs.
   */
  public Map<String, String> callFields(String command, Duration timeout) {
    return fields(call(command, timeout));
  }

  /**
   * The {@code key=value} words of {@code reply}, split at spaces and line breaks, in order; a word without
   * {@code =} is skipped, and a key given twice keeps its last value.
   */
  public static Map<String, String> fields(String reply) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String word : reply.trim().split("\\s+")) {
      int eq = word.indexOf('=');
      if (eq > 0) fields.put(word.substring(0, eq), word.substring(eq + 1));
    }
    return fields;
  }

  /**
   * Waits until the node sees exactly {@code count} members Up (the member status Up: a node that is
   * unreachable still counts until it is downed) and returns their addresses in order.
   *
   * @throws AssertionError if it does not in time, or exits first
   */
  public List<String> awaitMembersUp(int count, Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return process.output().awaitMembersUp(count, timeout);
  }

  /** The addresses of the members the current run last reported Up; empty before its first report. */
  public List<String> membersUp() {
    List<String> ids = process.output().membersUp();
    return ids == null ? List.of() : ids.stream().map(Protocol::address).toList();
  }

  /**
   * Waits for the current run to exit by itself (it was downed, or its main method failed) and returns
   * its exit code: -1 of Pekko's downing shows as 255, a main method that threw as 1.
   *
   * @throws AssertionError if it is still running at the timeout
   */
  public int awaitExit(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return process.output().awaitExit(timeout)
        .orElseThrow(() -> new AssertionError("node " + index + " (pid " + process.pid() + ") did not exit within " + timeout));
  }

  /** The node's state for failure messages. */
  String describe() {
    return process.output().describe();
  }

  String self() {
    return process.output().self();
  }

  List<String> membersUpIds() {
    return process.output().membersUp();
  }

  void killIfRunning() {
    if (isAlive()) process.kill();
  }

  @Override
  public String toString() {
    return "node " + index + " (" + address() + ", " + (isAlive() ? "pid " + pid() : "exited") + ")";
  }
}
