package io.pel.service;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.Jobs;
import io.pel.service.internal.ServiceReadiness;
import io.pel.service.internal.ServiceRoutes;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.duration.FiniteDuration;

/**
 * The streaming service: PEL's HTTP API on a node, served by Pekko HTTP on the node's actor system.
 *
 * <ul>
 *   <li>{@code GET /health/live}: 200 while the process runs and its actor system has not terminated, even
 *       when the node is cut off from its cluster (restarting it would not help).
 *   <li>{@code GET /health/ready}: 200 while the node accepts tasks, is Up, reaches a majority of the
 *       cluster's members, can serve jobs (the oldest member, which runs the job index and the shard
 *       coordinator, is reachable) and has routees to run tasks on; 503 with the reason otherwise.
 *   <li>{@code POST /v1/streams/{type}}: an NDJSON body of inputs in, one NDJSON answer line per input line
 *       out, streamed while the body is read; a bad line gets an error line of its own and the stream goes on.
 *   <li>{@code /v1/jobs}: checkpointed jobs ({@link Jobs}): submit, status, results, cancel.
 *   <li>{@code GET /v1/cluster}: the cluster's members and this node's counters.
 *   <li>{@code GET /metrics}: the node's counters and the service's measurements, in Prometheus' text format.
 *   <li>{@code GET /}: the dashboard, a page for a browser ({@code dashboard/} in the resources; its static
 *       files are served open under {@code /dashboard/}, they hold no data), which polls {@code GET
 *       /v1/dashboard} every second: this node, the cluster's members, the node's counters and the service's
 *       per-type latency sums.
 * </ul>
 *
 * With {@code pel.http.token} set, every endpoint but health and the dashboard's static files needs {@code
 * Authorization: Bearer <token>}; the dashboard page and its feed also take it as {@code ?token=<token>}, so
 * that a browser can open {@code /?token=<token>}.
 *
 * <p>Every request is answered within {@code pel.http.request-timeout} ({@link HttpSettings#requestTimeout()}):
 * a route that waits for the layer gives up after three quarters of it and answers {@code 503} with {@code
 * Retry-After} and a JSON error saying why; the job routes answer so at once while the node cannot serve
 * jobs; and a request still unanswered at the timeout gets the same kind of answer from the server.
 *
 * <p>On SIGTERM (Pekko's coordinated shutdown) the service first stops intake (it unbinds, and refuses new
 * streams with 503) and lets the streams running finish, before the layer drains its tasks.
 *
 * <p>{@link NodeMain} runs it on a node of its own. A program that starts its own layer serves it the same
 * way:
 *
 * <pre>{@code
 * ExecutionLayer layer = ExecutionLayer.start();
 * ServiceTypes types = ServiceTypes.load(layer); // sha256 and every TaskModule on the class path
 * HttpService service = HttpService.start(layer, types, layer.jobs(),
 *     HttpSettings.fromConfig(layer.system().settings().config(), System.getenv()));
 * }</pre>
 */
public final class HttpService {

  private static final Logger LOG = LoggerFactory.getLogger(HttpService.class);
  private static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);
  /** The coordinated-shutdown phase of the service's drain, before the layer's (this module's reference.conf). */
  private static final String DRAIN_PHASE = "pel-service-drain";

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
    ServiceRoutes routes = new ServiceRoutes(layer, types, jobs, settings);
    try {
      // The remote address of each connection, for pel.http.max-streams-per-client; the request timeout of pel.http.
      FiniteDuration requestTimeout = FiniteDuration.create(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
      ServerSettings server = ServerSettings.create(Adapter.toClassic(layer.system())).withRemoteAddressAttribute(true);
      server = server.withTimeouts(server.getTimeouts().withRequestTimeout(requestTimeout));
      ServerBinding binding = Http.get(layer.system()).newServerAt(settings.host(), settings.port()).withSettings(server)
          .bind(routes.all()).toCompletableFuture().get(BIND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      binding.addToCoordinatedShutdown(Duration.ofSeconds(10), layer.system());
      // First of all phases, before the layer's own drain stops it taking tasks: no new connection or
      // stream, and the streams running finish (within pel.shutdown-drain-timeout).
      Duration drain = layer.settings().shutdownDrainTimeout();
      CoordinatedShutdown.get(Adapter.toClassic(layer.system())).addTask(DRAIN_PHASE, "pel-http-drain", () -> {
        routes.refuseNewStreams();
        LOG.info("PEL service draining: no new streams; waiting up to {} for the {} running", drain, routes.activeStreams());
        return binding.unbind().thenCompose(unbound -> routes.awaitStreamsEnded(drain)).thenApply(idle -> Done.getInstance());
      });
      // Management's /ready (ClusterDiscovery) asks the same readiness as /health/ready.
      ServiceReadiness.get(layer.system()).serve(routes::whyNotReady);
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
}
