package io.pel.samples;

import com.typesafe.config.ConfigFactory;
import io.pel.actors.ExecutionLayer;
import io.pel.samples.jobs.PrimeJobs;
import io.pel.samples.ledger.LedgerTasks;
import io.pel.samples.risk.RiskTasks;
import io.pel.samples.tasks.TinyTasks;
import io.pel.samples.wordcount.WordCount;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The one way a node for the samples starts: with every sample's handlers. The samples' own layers, the
 * cluster nodes of {@code ./pel start} and {@code ./pel cluster}, and the tests all register them here,
 * so they never disagree on the task types, as the nodes of one cluster must not; the samples' wire
 * classes come with this module's {@code reference.conf} ({@link SamplesWireRegistrar}).
 */
public final class Samples {

  /** How long a node without routees of its own waits to see routees elsewhere in the cluster. */
  static final Duration ROUTEE_WAIT = Duration.ofSeconds(30);

  private Samples() {}

  /** Registers the handlers of every sample (risk, tasks, wordcount, jobs, ledger) on {@code layer}. */
  public static void registerAll(ExecutionLayer layer) {
    LedgerTasks.register(layer);
    PrimeJobs.register(layer);
    RiskTasks.register(layer);
    TinyTasks.register(layer);
    WordCount.register(layer);
  }

  /**
   * Starts a node from {@code application.conf}, PEL's defaults and the {@code PEL_*} variables of {@code
   * environment}, with every sample's handlers registered.
   *
   * @throws io.pel.cluster.InvalidSettingException naming the variable or key whose value is unusable
   */
  public static ExecutionLayer start(Map<String, String> environment) {
    ExecutionLayer layer = ExecutionLayer.start(ConfigFactory.empty(), environment);
    registerAll(layer);
    return layer;
  }

  /**
   * Starts the layer a sample runs on, from the process environment. A node with no routees of its own (a
   * client of a cluster, {@code PEL_ROLES=client}) first waits until it sees routees on other nodes, then
   * prints the cluster it joined to {@code out}.
   *
   * @throws IllegalStateException if a client sees no routee within {@link #ROUTEE_WAIT}
   */
  public static ExecutionLayer startForSample(PrintStream out) {
    ExecutionLayer layer = start(System.getenv());
    if (!isClient(layer)) return layer;
    try {
      layer.awaitRoutees(n -> n > 0).toCompletableFuture().get(ROUTEE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      layer.close();
      throw new IllegalStateException("this node runs no routees (roles " + roles(layer) + ") and saw none in the cluster within "
          + ROUTEE_WAIT.toSeconds() + " s: is a node with role worker up at PEL_SEED_NODES?");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      layer.close();
      throw new IllegalStateException("interrupted while waiting for routees", e);
    } catch (ExecutionException e) {
      layer.close();
      throw new IllegalStateException("waiting for routees failed", e.getCause());
    }
    out.printf(Locale.ROOT, "cluster: this node (%s, roles %s) runs no routees; it sees %s so far%n",
        Cluster.get(layer.system()).selfMember().address(), roles(layer), describeCluster(layer));
    return layer;
  }

  /** {@code "N members up, R routees"}, as this node sees the cluster now. */
  public static String describeCluster(ExecutionLayer layer) {
    long up = 0;
    for (var member : Cluster.get(layer.system()).state().getMembers()) {
      if (member.status().equals(MemberStatus.up())) up++;
    }
    int routees = layer.stats().routees();
    return up + (up == 1 ? " member" : " members") + " up, " + routees + (routees == 1 ? " routee" : " routees");
  }

  /**
   * For a client (see {@link #isClient}), prints how its tasks fared on the cluster: the cluster it sees now,
   * and the attempts re-dispatched after a routee was lost and those retried after a failure or a timeout.
   * Prints nothing on a node that ran its tasks itself.
   */
  public static void printClusterSummary(ExecutionLayer layer, PrintStream out) {
    if (!isClient(layer)) return;
    out.printf(Locale.ROOT, "cluster at the end: %s; %,d attempts re-dispatched after a routee was lost, %,d retried%n",
        describeCluster(layer), layer.stats().redispatched(), layer.stats().retries());
  }

  /** Whether {@code layer} runs no routees of its own, so its tasks run on other nodes. */
  public static boolean isClient(ExecutionLayer layer) {
    return layer.settings().workersPerNode() == 0;
  }

  private static String roles(ExecutionLayer layer) {
    return layer.system().settings().config().getStringList("pekko.cluster.roles").toString();
  }
}
