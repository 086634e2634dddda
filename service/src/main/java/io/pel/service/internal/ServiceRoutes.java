package io.pel.service.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pel.actors.ExecutionLayer;
import io.pel.actors.Jobs;
import io.pel.service.HttpSettings;
import io.pel.service.ServiceTypes;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The routes of one {@link io.pel.service.HttpService}, and the streams it serves:
 *
 * <ul>
 *   <li>{@code GET /health/live}, {@code GET /health/ready}: health, without a token.
 *   <li>{@code POST /v1/streams/{type}}: {@link StreamRoute}.
 *   <li>{@code /v1/jobs}: {@link JobRoutes}.
 *   <li>{@code GET /v1/cluster}: {@link ClusterRoutes}.
 *   <li>{@code GET /metrics}: {@link ServiceMetrics}.
 *   <li>{@code GET /}, {@code /dashboard/...} and {@code GET /v1/dashboard}: the dashboard page, its static
 *       files (served open: they hold no data) and its JSON feed.
 * </ul>
 *
 * With a token set, every route but health and the dashboard's static files needs {@code Authorization:
 * Bearer <token>}, compared in constant time; the dashboard page and its feed also take {@code ?token=}.
 */
public final class ServiceRoutes extends AllDirectives {
  private final ExecutionLayer layer;
  private final HttpSettings settings;
  private final ObjectMapper json = JsonInputs.mapper();
  private final StreamRoute streams;
  private final ServiceMetrics metrics;
  private final JobRoutes jobs;
  private final ClusterRoutes cluster;
  private final boolean servesJobs;
  /** Every node's load, shared, and the cluster-size signal made of it. */
  private final LoadGossip gossip;
  /** The job store's last check, or null when this node serves no jobs. */
  private final JobStoreProbe jobStore;
  private final Route jobRoute;
  private final byte[] expectedAuthorization;
  private final byte[] expectedToken;
  private final long startedMillis = System.currentTimeMillis();

  /**
   * The routes of a service on {@code layer}'s node, serving {@code types} in streams and in the jobs of
   * {@code jobs} (null: no job endpoints).
   */
  public ServiceRoutes(ExecutionLayer layer, ServiceTypes types, Jobs jobs, HttpSettings settings) {
    this.layer = layer;
    this.settings = settings;
    StreamRoute[] route = new StreamRoute[1];
    ScaleAdvisor.Settings autoscale = ScaleAdvisor.Settings.fromConfig(layer.system().settings().config());
    LoadMeter load = new LoadMeter(layer::load, System::nanoTime, autoscale.loadWindow());
    this.gossip = LoadGossip.start(layer.system(), load, new ScaleAdvisor(autoscale), System::nanoTime, autoscale.sampleInterval());
    this.metrics = new ServiceMetrics(layer::stats, () -> route[0].active(), () -> layer.load(System.nanoTime()), load, gossip::signal, layer::blockingPool);
    this.streams = route[0] = new StreamRoute(layer, types, settings, json, metrics, System::nanoTime);
    this.jobs = new JobRoutes(layer, jobs, types, settings, json, streams);
    this.cluster = new ClusterRoutes(layer, json, streams, settings.askTimeout(), gossip::signal).startSampling();
    this.servesJobs = jobs != null;
    this.jobStore = jobs == null ? null : JobStoreProbe.start(layer.system(), jobs::checkStore, settings.askTimeout());
    this.jobRoute = this.jobs.route();
    this.expectedAuthorization = ("Bearer " + settings.token()).getBytes(StandardCharsets.UTF_8);
    this.expectedToken = settings.token().getBytes(StandardCharsets.UTF_8);
  }

  /** Refuses new streams from now on (503): the node is shutting down; the streams running go on. */
  public void refuseNewStreams() {
    streams.close();
  }

  /** Streams served now. */
  public int activeStreams() {
    return streams.active();
  }

  /** After {@link #refuseNewStreams()}: completes once no stream runs, or after {@code timeout}, whichever is first. */
  public CompletableFuture<Void> awaitStreamsEnded(Duration timeout) {
    return streams.awaitIdle(timeout);
  }

  /**
   * Every route of the service, each answered within {@code pel.http.request-timeout}: past it, the server
   * answers {@link #requestTimedOut} instead of its plain-text 503.
   */
  public Route all() {
    return answeredInTime(() -> concat(
        pathPrefix("health", () -> concat(
            path("live", () -> get(this::live)),
            path("ready", () -> get(this::ready)))),
        pathPrefix("dashboard", () -> get(() -> noCache(() -> getFromResourceDirectory("dashboard")))),
        pathSingleSlash(() -> get(() -> authorized(true, () -> noCache(() -> getFromResource("dashboard/index.html"))))),
        path(PathMatchers.segment("v1").slash("dashboard"), () -> get(() -> authorized(true, () -> noCache(() ->
            complete(streams.jsonResponse(StatusCodes.OK, dashboard())))))),
        path("metrics", () -> get(() -> authorized(false, () -> complete(HttpResponse.create().withEntity(
            HttpEntities.create(ContentTypes.parse(ServiceMetrics.CONTENT_TYPE),
            metrics.scrape().getBytes(StandardCharsets.UTF_8))))))),
        authorized(false, () -> pathPrefix("v1", () -> concat(
            path(PathMatchers.segment("streams").slash(PathMatchers.segment()), type ->
                post(() -> parameterOptional("ordered", ordered -> extractRequest(request ->
                    complete(streams.handle(type, !ordered.map("false"::equalsIgnoreCase).orElse(false), request.entity(), client(request))))))),
            pathPrefixTest("jobs", this::servingJobs),
            cluster.route())))));
  }

  /** {@code inner}, whose requests the server answers with {@link #requestTimedOut} past its request timeout. */
  Route answeredInTime(Supplier<Route> inner) {
    return withRequestTimeoutResponse(request -> requestTimedOut(), inner);
  }

  /** The server's answer to a request not answered within {@code pel.http.request-timeout}. */
  HttpResponse requestTimedOut() {
    return Unavailable.because(streams, json, "the service did not answer within pel.http.request-timeout = "
        + settings.requestTimeout().toMillis() + " ms; try again");
  }

  /**
   * The job routes, or at once 503 with Retry-After and the reason while this node cannot serve jobs ({@link
   * Readiness#toServeJobs}): a job's coordinator is not asked when the answer could not come.
   */
  private Route servingJobs() {
    if (!servesJobs) return reject();
    return Readiness.toServeJobs(Readiness.of(layer, jobStore)).map(reason -> complete(Unavailable.because(streams, json, reason)))
        .orElse(jobRoute);
  }

  /**
   * The remote address of the request's connection (the server is bound with the remote-address attribute on),
   * never a header's claim; null if unknown.
   */
  private static InetAddress client(HttpRequest request) {
    return request.getAttribute(AttributeKeys.remoteAddress).flatMap(RemoteAddress::getAddress).orElse(null);
  }

  private Route noCache(Supplier<Route> inner) {
    return respondWithHeader(CacheControl.create(CacheDirectives.NO_CACHE), inner);
  }

  /** The dashboard's feed: this node, the members, the counters, the per-type stream meters. */
  private ObjectNode dashboard() {
    Cluster cluster = Cluster.get(layer.system());
    ObjectNode body = json.createObjectNode();
    body.put("node", cluster.selfMember().address().toString());
    body.put("time", System.currentTimeMillis());
    body.put("uptimeSeconds", (System.currentTimeMillis() - startedMillis) / 1000);
    body.put("activeStreams", streams.active());
    body.set("stats", json.valueToTree(layer.stats()));
    ClusterRoutes.putAutoscale(body, gossip.signal());
    ArrayNode members = body.putArray("members");
    Set<Member> unreachable = cluster.state().getUnreachable();
    for (Member member : cluster.state().getMembers()) {
      ObjectNode m = members.addObject();
      m.put("address", member.address().toString());
      m.put("status", member.status().toString());
      m.put("reachable", !unreachable.contains(member));
      m.put("self", member.equals(cluster.selfMember()));
      m.set("roles", json.valueToTree(member.getRoles()));
    }
    ObjectNode types = body.putObject("types");
    metrics.byType().forEach((type, v) -> {
      ObjectNode t = types.putObject(type);
      t.put("tasks", (long) v[0]);
      t.put("latencySecondsSum", v[1]);
      t.put("latencySecondsMax", v[2]);
      t.put("linesOk", (long) v[3]);
      t.put("linesError", (long) v[4]);
    });
    return body;
  }

  /**
   * Liveness: 200 while the process runs and its actor system has not terminated, whatever the cluster
   * thinks of the node (a node cut off from its cluster is alive, and not ready); 503 once it has
   * terminated, in the moment before the process exits.
   */
  private Route live() {
    if (layer.system().whenTerminated().isCompleted()) {
      ObjectNode body = status("not live");
      body.put("reason", "the node's actor system has terminated");
      return complete(streams.jsonResponse(StatusCodes.SERVICE_UNAVAILABLE, body));
    }
    return complete(streams.jsonResponse(StatusCodes.OK, status("live")));
  }

  /** Why the node cannot serve now ({@link Readiness}), or nothing when it is ready; read afresh each time. */
  public Optional<String> whyNotReady() {
    return Readiness.toServe(Readiness.of(layer, jobStore));
  }

  /** Readiness: 200, or 503 with the reason. */
  private Route ready() {
    Optional<String> reason = whyNotReady();
    ObjectNode body = status(reason.isEmpty() ? "ready" : "not ready");
    reason.ifPresent(why -> body.put("reason", why));
    return complete(streams.jsonResponse(reason.isEmpty() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, body));
  }

  /**
   * Passes when no token is set or the request carries it (in {@code Authorization: Bearer}, or with {@code
   * inQuery} also as {@code ?token=}); 401 otherwise.
   */
  private Route authorized(boolean inQuery, Supplier<Route> inner) {
    if (settings.token().isEmpty()) return inner.get();
    return optionalHeaderValueByName("Authorization", (Optional<String> header) -> parameterOptional("token", query -> {
      byte[] given = header.orElse("").getBytes(StandardCharsets.UTF_8);
      if (MessageDigest.isEqual(given, expectedAuthorization)) return inner.get();
      if (inQuery && query.isPresent() && MessageDigest.isEqual(query.get().getBytes(StandardCharsets.UTF_8), expectedToken)) {
        return inner.get();
      }
      return respondWithHeader(WWWAuthenticate.create(HttpChallenge.createOAuth2("pel")), () ->
          complete(streams.jsonResponse(StatusCodes.UNAUTHORIZED, status(header.isEmpty()
              ? "this service needs Authorization: Bearer <token> (PEL_HTTP_TOKEN)" + (inQuery ? ", or ?token=<token>" : "")
              : "the bearer token is not this service's"))));
    }));
  }

  private ObjectNode status(String status) {
    ObjectNode node = json.createObjectNode();
    node.put("status", status);
    return node;
  }
}
