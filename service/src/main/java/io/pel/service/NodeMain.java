package io.pel.service;

import com.typesafe.config.ConfigFactory;
import io.pel.actors.ExecutionLayer;
import io.pel.actors.JobStoreException;
import io.pel.actors.Jobs;
import io.pel.cluster.InvalidSettingException;
import io.pel.service.internal.NodeReporter;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * A node of the streaming service, as run by {@code ./pel start} and {@code ./pel cluster N}: starts a layer
 * from the {@code PEL_*} environment with the handlers of every {@link TaskModule} on the class path
 * ({@code sha256} is built in; {@code ./pel start} puts the samples' module on it), serves them with the
 * streaming service ({@link HttpService}), prints its membership changes and its status, and runs until
 * SIGTERM or Ctrl-C. Then Pekko's coordinated shutdown drains the node's tasks and leaves the cluster, and
 * the node prints its totals.
 *
 * <p>Run it as {@code java -cp <pel-service, its dependencies and your modules' jars> io.pel.service.NodeMain}.
 *
 * <p>Exit codes: 0 after a graceful stop; 1 the node could not start, or the cluster downed it; 2 a bad
 * argument or environment variable (one line naming it).
 */
public final class NodeMain {

  static final String USAGE = """
      usage: ./pel start
        Runs a PEL node with the task types of every TaskModule on the class path (sha256 built
        in; ./pel start adds every sample's), and the streaming service on http://127.0.0.1:8080/
        (PEL_HTTP_HOST, PEL_HTTP_PORT, PEL_HTTP_TOKEN), until SIGTERM or Ctrl-C, then leaves the
        cluster gracefully. The environment says where: PEL_HOST, PEL_PORT, PEL_SEED_NODES,
        PEL_ROLES ('./pel help' describes them); with none set, the node forms a cluster of one.
        PEL_DISCOVERY=kubernetes-api (or config) forms the cluster through Cluster Bootstrap instead
        of seed nodes, with Pekko Management on PEL_MANAGEMENT_HOST:PEL_MANAGEMENT_PORT.""";

  /** Exit code of a bad argument or environment variable. */
  static final int USAGE_ERROR = 2;

  /** How often the node may print a status line (only when something changed). */
  static final Duration STATUS_INTERVAL = Duration.ofSeconds(10);

  private NodeMain() {}

  /** Runs the node until it stops, then exits with its code (see above). */
  public static void main(String[] args) {
    int code = run(args, System.getenv(), System.out, System.err,
        node -> Runtime.getRuntime().addShutdownHook(new Thread(node::exitFromShutdownHook, "pel-node-exit")));
    System.exit(code);
  }

  /**
   * Starts a node from {@code environment}, hands it to {@code started}, and waits until it has stopped.
   *
   * @return the exit code
   */
  static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err, Consumer<Node> started) {
    List<String> arguments = List.of(args);
    if (arguments.contains("-h") || arguments.contains("--help")) {
      out.println(USAGE);
      return 0;
    }
    if (!arguments.isEmpty()) {
      err.println("pel start: unexpected argument '" + arguments.get(0) + "'");
      err.println(USAGE);
      return USAGE_ERROR;
    }
    Node node;
    try {
      node = Node.start(environment, out);
    } catch (InvalidSettingException e) {
      err.println("pel start: " + e.getMessage());
      return USAGE_ERROR;
    } catch (JobStoreException e) {
      err.println("pel start: the node could not start: " + e.getMessage() + " (the job store: PEL_DATA_DIR, PEL_JOBS_URL)");
      return 1;
    } catch (RuntimeException e) {
      err.println("pel start: the node could not start: " + e);
      return 1;
    }
    started.accept(node);
    return node.awaitExit();
  }

  /** A running node and how it ended. */
  static final class Node {

    private final ExecutionLayer layer;
    private final PrintStream out;
    private Integer exitCode;

    private Node(ExecutionLayer layer, PrintStream out) {
      this.layer = layer;
      this.out = out;
    }

    static Node start(Map<String, String> environment, PrintStream out) {
      ExecutionLayer layer = ExecutionLayer.start(ConfigFactory.empty(), environment);
      HttpService service;
      Optional<String> management;
      try {
        HttpSettings http = HttpSettings.fromConfig(layer.system().settings().config(), environment);
        ServiceTypes types = ServiceTypes.load(layer);
        Jobs jobs = layer.jobs(); // after the handlers are registered: unfinished jobs resume now
        service = HttpService.start(layer, types, jobs, http);
        management = ClusterDiscovery.start(layer);
      } catch (RuntimeException e) {
        layer.close();
        throw e;
      }
      var config = layer.system().settings().config();
      List<String> seeds = config.getStringList("pekko.cluster.seed-nodes");
      out.println("node started: " + Cluster.get(layer.system()).selfMember().address()
          + ", roles " + config.getStringList("pekko.cluster.roles")
          + ", " + layer.settings().workersPerNode() + " routees"
          + management.map(url -> ", discovery " + config.getString("pel.node.discovery") + " (management " + url + ")")
              .orElse(", seed nodes " + (seeds.isEmpty() ? "none (it joins itself)" : String.join(", ", seeds))));
      out.println("service ready: " + service.url() + " (POST " + service.url() + "v1/streams/{type}, POST " + service.url() + "v1/jobs, GET "
          + service.url() + "health/ready, GET " + service.url() + "metrics; dashboard: " + service.url() + ")");
      layer.system().systemActorOf(NodeReporter.create(layer::stats, STATUS_INTERVAL, out), "pel-node-reporter", Props.empty());
      return new Node(layer, out);
    }

    /**
     * On SIGTERM or Ctrl-C Java runs its shutdown hooks, Pekko's among them, which runs the node's graceful
     * leave, and then exits with 128 + the signal's number. This hook makes sure the leave runs (close is
     * idempotent), waits for it, and exits with the node's own code instead.
     */
    void exitFromShutdownHook() {
      layer.close();
      Runtime.getRuntime().halt(awaitExit());
    }

    /** The node's layer: closing it stops the node as SIGTERM does. */
    ExecutionLayer layer() {
      return layer;
    }

    /**
     * Waits until the node has stopped, prints how and its totals (once), and returns the exit code: 1 if
     * the cluster downed the node, else 0.
     */
    synchronized int awaitExit() {
      if (exitCode == null) {
        layer.whenStopped().toCompletableFuture().join();
        boolean downed = CoordinatedShutdown.get(Adapter.toClassic(layer.system())).getShutdownReason()
            .filter(CoordinatedShutdown.clusterDowningReason()::equals).isPresent();
        out.println(downed
            ? "node stopped: the cluster downed it (its tasks were not awaited)"
            : "node stopped after leaving the cluster gracefully");
        out.println("node totals: " + NodeReporter.totals(layer.stats()));
        exitCode = downed ? 1 : 0;
      }
      return exitCode;
    }
  }
}
