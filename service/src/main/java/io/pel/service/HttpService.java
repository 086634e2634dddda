package io.pel.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pel.actors.ExecutionLayer;
import io.pel.actors.Jobs;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming service: PEL's HTTP API on a node, served by Pekko HTTP on the node's actor system.
 *
 * <ul>
 *   <li>{@code GET /health/live}: 200 while the process serves HTTP.
 *   <li>{@code GET /health/ready}: 200 once the node is Up in its cluster, has routees to run tasks on and
 *       accepts tasks; 503 with the reason otherwise.
 *   <li>{@code POST /v1/streams/{type}}: see {@link StreamRoute}.
 *   <li>{@code /v1/jobs}: checkpointed jobs, see {@link JobRoutes}.
 *   <li>{@code GET /v1/cluster}: the cluster's members and this node's counters, see {@link ClusterRoutes}.
 *   <li>{@code GET /metrics}: Prometheus' text format, see {@link ServiceMetrics}.
 *   <li>{@code GET /}: the dashboard, a page for a browser ({@code dashboard/} in the resources; its static
 *       files are served open under {@code /dashboard/}, they hold no data), which polls {@code GET
 *       /v1/dashboard} every second: this node, the cluster's members, the node's counters and the service's
 *       per-type latency sums.
 * </ul>
 *
 * With {@code pel.http.token} set, every endpoint but health and the dashboard's static files needs {@code
 * Authorization: Bearer <token>}; the dashboard page and its feed also take it as {@code ?token=<token>}, so
 * that a browser can open {@code /?token=<token>}. On SIGTERM (Pekko's coordinated shutdown) the service
 * first stops intake (it unbinds, and refuses new streams with 503) and lets the streams running finish,
 * before the layer drains its tasks.
 */
public final class HttpService {

  private static final Logger LOG = LoggerFactory.getLogger(HttpService.class);
  private static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);
  /** The coordinated-shutdown phase of the service's drain, before the layer's (this module's reference.conf). */
  static final String DRAIN_PHASE = "pel-service-drain";

  private final ServerBinding binding;
  private final HttpSettings settings;

  private HttpService(ServerBinding binding, HttpSettings settings) {
    this.binding = binding;
    this.settings = settings;
  }

  /**
   * Binds the service on {@code layer}'s node with {@code settings}, serving {@code types} in streams and
   * in the jobs of {@code jobs} ({@link ExecutionLayer#jobs()}; null: no job endpoints).
   *
   * @throws IllegalStateException naming the address if it cannot bind (a port in use, say)
   */
  public static HttpService start(ExecutionLayer layer, ServiceTypes types, Jobs jobs, HttpSettings settings) {
    Routes routes = new Routes(layer, types, jobs, settings);
    try {
      ServerBinding binding = Http.get(layer.system()).newServerAt(settings.host(), settings.port())
          .bind(routes.all()).toCompletableFuture().get(BIND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      binding.addToCoordinatedShutdown(Duration.ofSeconds(10), layer.system());
      // First of all phases, before the layer's own drain stops it taking tasks: no new connection or
      // stream, and the streams running finish (within pel.shutdown-drain-timeout).
      Duration drain = layer.settings().shutdownDrainTimeout();
      CoordinatedShutdown.get(Adapter.toClassic(layer.system())).addTask(DRAIN_PHASE, "pel-http-drain", () -> {
        routes.streams.close();
        LOG.info("PEL service draining: no new streams; waiting up to {} for the {} running", drain, routes.streams.active());
        return binding.unbind().thenCompose(unbound -> routes.streams.awaitIdle(drain)).thenApply(idle -> Done.getInstance());
      });
      HttpService service = new HttpService(binding, settings);
      LOG.info("PEL service ready at {} (streams: POST {}v1/streams/{type}; health: {}health/ready; dashboard: {}; metrics: {}metrics){}",
          service.url(), service.url(), service.url(), service.url() + (settings.token().isEmpty() ? "" : "?token=<token>"), service.url(),
          settings.token().isEmpty() ? "" : "; a bearer token is required");
      return service;
    } catch (Exception e) {
      Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("the PEL service cannot listen on " + settings.host() + ":" + settings.port() + ": " + cause, cause);
    }
  }

  /** Where it listens: {@code http://host:port/}. */
  public String url() {
    InetSocketAddress address = binding.localAddress();
    String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
    return "http://" + host + ":" + address.getPort() + "/";
  }

  /** The routes; one instance per service. */
  static final class Routes extends AllDirectives {
    private final ExecutionLayer layer;
    private final HttpSettings settings;
    private final ObjectMapper json = new ObjectMapper();
    final StreamRoute streams;
    private final ServiceMetrics metrics;
    private final JobRoutes jobs;
    private final ClusterRoutes cluster;
    private final byte[] expectedAuthorization;
    private final byte[] expectedToken;
    private final long startedMillis = System.currentTimeMillis();

    Routes(ExecutionLayer layer, ServiceTypes types, Jobs jobs, HttpSettings settings) {
      this.layer = layer;
      this.settings = settings;
      StreamRoute[] route = new StreamRoute[1];
      this.metrics = new ServiceMetrics(layer::stats, () -> route[0].active());
      this.streams = route[0] = new StreamRoute(layer, types, settings, json, metrics);
      this.jobs = new JobRoutes(layer, jobs, types, settings, json, streams);
      this.cluster = new ClusterRoutes(layer, json, streams).startSampling();
      this.expectedAuthorization = ("Bearer " + settings.token()).getBytes(StandardCharsets.UTF_8);
      this.expectedToken = settings.token().getBytes(StandardCharsets.UTF_8);
    }

    Route all() {
      return concat(
          pathPrefix("health", () -> concat(
              path("live", () -> get(() -> complete(streams.jsonResponse(StatusCodes.OK, status("live"))))),
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
                  post(() -> parameterOptional("ordered", ordered -> extractRequestEntity(entity ->
                      complete(streams.handle(type, !ordered.map("false"::equalsIgnoreCase).orElse(false), entity)))))),
              jobs.route(),
              cluster.route()))));
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

    private Route ready() {
      String reason = null;
      if (!layer.isAcceptingTasks()) reason = "the node is shutting down";
      else if (Cluster.get(layer.system()).selfMember().status() != MemberStatus.up()) reason = "the node is not Up in its cluster yet";
      else if (layer.stats().routees() == 0) reason = "no routees to run tasks on yet";
      ObjectNode body = status(reason == null ? "ready" : "not ready");
      if (reason != null) body.put("reason", reason);
      return complete(streams.jsonResponse(reason == null ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, body));
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
}
