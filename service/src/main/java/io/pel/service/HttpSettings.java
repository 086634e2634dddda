package io.pel.service;

import static io.pel.cluster.internal.ConfigReader.intAtLeast;
import static io.pel.cluster.internal.ConfigReader.positive;
import static io.pel.cluster.internal.ConfigReader.size;
import static io.pel.cluster.internal.ConfigReader.string;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.pel.cluster.InvalidSettingException;
import java.time.Duration;
import java.util.Map;

/**
 * The streaming service's {@code pel.http} settings, checked at start-up.
 *
 * @param host the address the HTTP server binds to
 * @param port its port; 0 picks a free one
 * @param token when not empty, every endpoint but health needs {@code Authorization: Bearer <token>}
 * @param maxLineBytes the longest NDJSON line accepted
 * @param maxBodyBytes the largest request body accepted
 * @param maxStreams streams served at once; past it, {@code 503} with {@code Retry-After}
 * @param parallelism lines of one stream taken in and not yet answered, at most (an upper bound on its tasks in
 *     flight: within it the stream's {@code ParallelFlow} sizes its own window)
 * @param bufferBytes the bytes of those lines, at most (past the first line): what bounds a stream's memory
 *     when its lines are large
 * @param requestTimeout the time within which every request is answered (its response starts) once it has been
 *     received in full: past it, {@code 503} with the service's JSON error and {@code Retry-After}; the server's
 *     request timeout
 */
public record HttpSettings(
    String host, int port, String token, int maxLineBytes, long maxBodyBytes, int maxStreams, int parallelism, long bufferBytes,
    Duration requestTimeout) {

  /** The default of {@code pel.http.request-timeout}. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  /** The shortest {@code pel.http.request-timeout}: below it a healthy job store's write would not fit. */
  public static final Duration MIN_REQUEST_TIMEOUT = Duration.ofSeconds(1);

  /** Checks the request timeout. */
  public HttpSettings {
    if (requestTimeout.compareTo(MIN_REQUEST_TIMEOUT) < 0) {
      throw new InvalidSettingException("pel.http.request-timeout", requestTimeout, "a duration of at least " + MIN_REQUEST_TIMEOUT.toSeconds() + "s");
    }
  }

  /** Settings with the default request timeout. */
  public HttpSettings(String host, int port, String token, int maxLineBytes, long maxBodyBytes, int maxStreams, int parallelism, long bufferBytes) {
    this(host, port, token, maxLineBytes, maxBodyBytes, maxStreams, parallelism, bufferBytes, DEFAULT_REQUEST_TIMEOUT);
  }

  /**
   * How long a route waits for the layer (a job's coordinator, the cluster's registry) before it answers
   * {@code 503} with {@code Retry-After}: three quarters of {@link #requestTimeout()}, so that the route's own
   * answer always comes before the server's timeout, with a quarter left to write it.
   */
  public Duration askTimeout() {
    return requestTimeout.multipliedBy(3).dividedBy(4);
  }

  /**
   * Reads {@code pel.http} from a node's resolved configuration; an error about a value that came from
   * {@code environment} ({@code PEL_HTTP_HOST}, {@code PEL_HTTP_PORT}) names the variable.
   */
  public static HttpSettings fromConfig(Config config, Map<String, String> environment) {
    Config pel = config.getConfig("pel");
    String portName = environment.containsKey("PEL_HTTP_PORT") ? "PEL_HTTP_PORT" : "pel.http.port";
    int port;
    try {
      port = pel.getInt("http.port");
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      throw new InvalidSettingException(portName, pel.getValue("http.port").unwrapped(), "a port number 0..65535 (0 picks a free port)");
    }
    if (port < 0 || port > 65535) throw new InvalidSettingException(portName, port, "a port number 0..65535 (0 picks a free port)");
    String host = string(pel, "http.host").trim();
    if (host.isEmpty()) {
      throw new InvalidSettingException(environment.containsKey("PEL_HTTP_HOST") ? "PEL_HTTP_HOST" : "pel.http.host", host, "a host name or address");
    }
    return new HttpSettings(host, port, string(pel, "http.token"), (int) size(pel, "http.max-line-size", 1, Integer.MAX_VALUE),
        size(pel, "http.max-body-size", 1, Long.MAX_VALUE), intAtLeast(pel, "http.max-concurrent-streams", 1),
        intAtLeast(pel, "http.stream-parallelism", 1), size(pel, "http.stream-buffer-size", 1, Long.MAX_VALUE), requestTimeout(config));
  }

  /**
   * {@code pel.http.request-timeout}, from 1 s to below the server's idle timeout ({@code
   * pekko.http.server.idle-timeout}), which would otherwise close a waiting connection first.
   */
  private static Duration requestTimeout(Config config) {
    Duration timeout = positive(config.getConfig("pel"), "http.request-timeout");
    String idleKey = "pekko.http.server.idle-timeout";
    boolean idleFinite = config.hasPath(idleKey) && !"infinite".equals(config.getValue(idleKey).unwrapped());
    if (timeout.compareTo(MIN_REQUEST_TIMEOUT) < 0 || idleFinite && timeout.compareTo(config.getDuration(idleKey)) >= 0) {
      throw new InvalidSettingException("pel.http.request-timeout", config.getValue("pel.http.request-timeout").unwrapped(),
          "a duration from " + MIN_REQUEST_TIMEOUT.toSeconds() + "s to below " + idleKey
          + (idleFinite ? " = " + config.getDuration(idleKey).toSeconds() + "s" : ""));
    }
    return timeout;
  }
}
