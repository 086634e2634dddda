package io.pel.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.pel.actors.ExecutionLayer;
import io.pel.testkit.JvmCluster;
import io.pel.testkit.TestTls;
import io.pel.testkit.JvmNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two JVMs on loopback for the {@code remote} workload: a worker JVM ({@link RemoteWorker}, started with the
 * test kit, one routee per core) and, in this JVM, a client layer (roles {@code [client]}, no routees) that
 * joined it, so that every task submitted to {@link #client()} runs in the other JVM.
 *
 * <p>{@link #close()} closes the client layer, then kills the worker JVM and waits for it to exit. The test
 * kit also kills it from a shutdown hook of this JVM, and the worker exits by itself when this JVM dies (its
 * stdin closes), so it never outlives the bench.
 */
final class RemoteWorkerJvm implements AutoCloseable {

  /**
   * The worker's JVM options: a heap of its own size and otherwise the JVM's defaults (G1, the full JIT),
   * as the bench's JVM has, instead of the test kit's options for short-lived test nodes.
   */
  static final String[] JVM_OPTIONS = {"-Xmx1g"};
  /** How long the worker may take to start, join and show its routees to the client. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  /**
   * Heartbeat pause before a node counts as unreachable, on both sides: two JVMs busy on 2 cores can miss
   * the test kit's 2 s, which would stop dispatch to the worker in the middle of a run.
   */
  private static final String HEARTBEAT_PAUSE = "10s";
  private static final String HEARTBEAT_PAUSE_KEY = "pekko.cluster.failure-detector.acceptable-heartbeat-pause";

  private final JvmCluster cluster;
  private final ExecutionLayer client;
  private final int routees;

  private RemoteWorkerJvm(JvmCluster cluster, ExecutionLayer client, int routees) {
    this.cluster = cluster;
    this.client = client;
    this.routees = routees;
  }

  /**
   * Starts the worker JVM, logging to {@link #logDirectory()}, and a client layer in this JVM that joins it,
   * and returns once the client routes to the worker's routees.
   *
   * @throws TimeoutException if that takes longer than {@link #START_TIMEOUT}; nothing is left running
   */
  static RemoteWorkerJvm start() throws TimeoutException {
    JvmCluster cluster = JvmCluster.builder(RemoteWorker.class)
        .nodes(1)
        .jvmOptions(JVM_OPTIONS)
        .property("pel.workers-per-node", "auto")
        .property(HEARTBEAT_PAUSE_KEY, HEARTBEAT_PAUSE)
        .logDirectory(logDirectory())
        .startTimeout(START_TIMEOUT)
        .start();
    ExecutionLayer client = null;
    try {
      JvmNode worker = cluster.node(1);
      Matcher ready = Pattern.compile(Pattern.quote(RemoteWorker.READY) + "(\\d+)")
          .matcher(worker.awaitLine(Pattern.quote(RemoteWorker.READY), START_TIMEOUT));
      if (!ready.find()) throw new IllegalStateException("the worker's ready line has no routee count");
      int routees = Integer.parseInt(ready.group(1));
      client = ExecutionLayer.start(clientConfig(worker.address()));
      RemoteWorkload.registerTasks(client);
      awaitRoutees(client, routees);
      return new RemoteWorkerJvm(cluster, client, routees);
    } catch (RuntimeException | Error | TimeoutException e) {
      try {
        if (client != null) client.close();
      } finally {
        cluster.close();
      }
      throw e;
    }
  }

  /** {@code bench/target/remote-bench}: beside the bench's classes or jar, wherever it runs from. */
  static Path logDirectory() {
    return BenchContext.targetDirectory().resolve("remote-bench");
  }

  private static Config clientConfig(String workerAddress) {
    // The worker JVM has the test kit's TLS identity (JvmCluster's default); the client presents the same.
    return ConfigFactory.parseString(TestTls.hocon() + "pel.node.roles = [client]\n"
        + "pel.node.seed-nodes = [\"" + workerAddress + "\"]\n"
        + HEARTBEAT_PAUSE_KEY + " = " + HEARTBEAT_PAUSE);
  }

  private static void awaitRoutees(ExecutionLayer client, int routees) throws TimeoutException {
    try {
      client.awaitRoutees(n -> n == routees).toCompletableFuture().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new TimeoutException("the client saw " + client.stats().routees() + " routees, not the worker's " + routees
          + ", within " + START_TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the worker's routees", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for the worker's routees failed", e.getCause());
    }
  }

  /** The client layer: it runs no tasks itself, so everything submitted to it runs in the worker JVM. */
  ExecutionLayer client() {
    return client;
  }

  /** The worker's routees, as the client sees them. */
  int routees() {
    return routees;
  }

  /** The worker JVM's process id. */
  long pid() {
    return cluster.node(1).pid();
  }

  /** The worker JVM's process. */
  ProcessHandle process() {
    long pid = pid();
    return ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("the worker JVM (pid " + pid + ") has exited"));
  }

  /** The worker JVM's log file. */
  Path logFile() {
    return cluster.node(1).logFile();
  }

  @Override
  public void close() {
    try {
      client.close();
    } finally {
      cluster.close();
    }
  }
}
