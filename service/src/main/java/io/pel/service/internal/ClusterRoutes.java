package io.pel.service.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pel.actors.ExecutionLayer;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /v1/cluster}: the cluster as this node sees it, and this node's counters.
 *
 * <pre>{@code
 * {"self": "pekko://pel@127.0.0.1:25520",
 *  "members": [{"address": "pekko://pel@127.0.0.1:25520", "roles": ["worker"], "status": "Up", "reachable": true, "routees": 2}],
 *  "throughput": {"tasksPerSecond": 1520.5, "overSeconds": 60},
 *  "stats": {"submitted": ..., "succeeded": ..., "routees": 8, "accepted": 0, ...},
 *  "streams": 0,
 *  "autoscale": {"recommendedNodes": 3, "workerNodes": 2, "utilisation": 0.912, "completedPerSecond": 1824.0,
 *                "trueRatePerSecond": 2000.0, "waiting": 0}}
 * }</pre>
 *
 * {@code members} is Pekko's membership ({@link Cluster#state()}), statuses as Pekko names them, roles as
 * {@code PEL_ROLES} gave them; {@code reachable} is false for a member this node's failure detector finds
 * unreachable; {@code routees} how many routees the cluster's registry lists on it. {@code throughput} is the
 * tasks accepted here that completed, per second over the last minute. {@code stats} is {@link io.pel.actors.LayerStats} (this node's counters since it started);
 * {@code streams} the streams it serves now; {@code autoscale} the cluster-size signal ({@link LoadGossip}), once it
 * has a minute's first two readings.
 */
final class ClusterRoutes extends AllDirectives {

  /** Pekko gives every member a role naming its data center, {@code dc-default}: not one of the node's roles. */
  private static final String DATA_CENTER_ROLE = "dc-";

  private final ExecutionLayer layer;
  private final ObjectMapper json;
  private final StreamRoute streams;
  private final java.time.Duration askTimeout;
  private final java.util.function.Supplier<LoadGossip.Signal> signal;

  /** {@code askTimeout}: how long the route waits for the cluster's registry before it answers 503. */
  ClusterRoutes(ExecutionLayer layer, ObjectMapper json, StreamRoute streams, java.time.Duration askTimeout) {
    this(layer, json, streams, askTimeout, () -> null);
  }

  /** The same, with the cluster-size signal ({@code signal} null until its first reading). */
  ClusterRoutes(ExecutionLayer layer, ObjectMapper json, StreamRoute streams, java.time.Duration askTimeout,
      java.util.function.Supplier<LoadGossip.Signal> signal) {
    this.layer = layer;
    this.json = json;
    this.streams = streams;
    this.askTimeout = askTimeout;
    this.signal = signal;
  }

  /** The route, to be placed under {@code /v1}. */
  Route route() {
    return path("cluster", () -> get(() -> completeWithFuture(layer.routeesByNode().toCompletableFuture()
        .orTimeout(askTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .thenApply(routees -> streams.jsonResponse(StatusCodes.OK, view(routees)))
        .exceptionally(failure -> failure instanceof java.util.concurrent.TimeoutException
            || failure.getCause() instanceof java.util.concurrent.TimeoutException
            ? Unavailable.because(streams, json, "the cluster's registry of routees did not answer within " + askTimeout.toMillis()
                + " ms (three quarters of pel.http.request-timeout); try again")
            : Unavailable.because(streams, json, "the cluster's registry of routees could not be read: " + failure)))));
  }

  /** Samples this node's completed-task count each second, for its throughput over the last minute. */
  private final java.util.ArrayDeque<long[]> samples = new java.util.ArrayDeque<>();

  private synchronized void sample() {
    long now = System.nanoTime();
    samples.addLast(new long[] {now, layer.stats().succeeded() + layer.stats().failed()});
    while (samples.size() > 2 && now - samples.peekFirst()[0] > java.util.concurrent.TimeUnit.SECONDS.toNanos(60)) samples.removeFirst();
  }

  /** Tasks completed per second here over the last minute (or since start), and over how many seconds. */
  private synchronized double[] throughput() {
    sample();
    long[] first = samples.peekFirst();
    long[] last = samples.peekLast();
    double seconds = (last[0] - first[0]) / 1e9;
    return new double[] {seconds <= 0 ? 0 : (last[1] - first[1]) / seconds, seconds};
  }

  /** Starts the sampling; called once the routes are built. */
  ClusterRoutes startSampling() {
    sample();
    layer.system().scheduler().scheduleAtFixedRate(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1), this::sample,
        layer.system().executionContext());
    return this;
  }

  ObjectNode view(java.util.Map<String, Integer> routeesByNode) {
    Cluster cluster = Cluster.get(layer.system());
    ClusterEvent.CurrentClusterState state = cluster.state();
    Set<Member> unreachable = StreamSupport.stream(state.getUnreachable().spliterator(), false).collect(Collectors.toSet());
    ObjectNode body = json.createObjectNode();
    body.put("self", cluster.selfMember().address().toString());
    ArrayNode members = body.putArray("members");
    for (Member member : state.getMembers()) {
      ObjectNode m = members.addObject();
      m.put("address", member.address().toString());
      ArrayNode roles = m.putArray("roles");
      new TreeSet<>(member.getRoles()).stream().filter(role -> !role.startsWith(DATA_CENTER_ROLE)).forEach(roles::add);
      m.put("status", member.status().toString());
      m.put("reachable", !unreachable.contains(member));
      m.put("routees", routeesByNode.getOrDefault(member.address().toString(), 0));
    }
    double[] rate = throughput();
    ObjectNode throughput = body.putObject("throughput");
    throughput.put("tasksPerSecond", Math.round(rate[0] * 10) / 10.0);
    throughput.put("overSeconds", Math.round(rate[1]));
    body.set("stats", json.valueToTree(layer.stats()));
    body.put("streams", streams.active());
    putAutoscale(body, signal.get());
    return body;
  }

  /** {@code "autoscale"}: the cluster-size signal {@code now}, unless it has none yet (null). */
  static void putAutoscale(ObjectNode body, LoadGossip.Signal now) {
    if (now == null) return;
    ObjectNode autoscale = body.putObject("autoscale");
    autoscale.put("recommendedNodes", now.recommendedNodes());
    autoscale.put("workerNodes", now.load().nodes());
    if (!Double.isNaN(now.utilisation())) autoscale.put("utilisation", Math.round(now.utilisation() * 1000) / 1000.0);
    autoscale.put("completedPerSecond", Math.round(now.load().completedPerSecond() * 10) / 10.0);
    autoscale.put("trueRatePerSecond", Math.round(now.load().trueRatePerSecond() * 10) / 10.0);
    autoscale.put("waiting", now.load().waiting());
  }
}
