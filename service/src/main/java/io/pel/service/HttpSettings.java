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
import java.util.Objects;

/**
 * The streaming service's {@code pel.http} settings, checked at start-up.
 *
 * @param host the address the HTTP server binds to
 * @param port its port; 0 picks a free one
 * @param token when not empty, every endpoint but health needs {@code Authorization: Bearer <token>}
 * @param maxLineBytes the longest NDJSON line accepted
 * @param maxBodyBytes the largest stream body accepted
 * @param maxStreams streams served at once; past it, {@code 503} with {@code Retry-After}
 * @param parallelism lines of one stream taken in and not yet answered, at most (an upper bound on its tasks in
 *     flight: within it the stream's {@code ParallelFlow} sizes its own window)
 * @param bufferBytes the bytes of those lines, at most (past the first line): what bounds a stream's memory
 *     when its lines are large
 * @param maxJobBytes the largest job body accepted ({@code POST /v1/jobs}), which is read whole into memory
 * @param maxStreamsPerClient streams one remote address is served at once; past it, {@code 429}
 * @param streamIdleTimeout how long a stream waits for the next bytes of its body before it is ended
 * @param streamMinBytesPerSecond the slowest a stream's body may come, measured over {@code streamRateWindow}
 *     of waiting for it; 0: no minimum
 * @param streamRateWindow the waiting time over which that rate is measured
 * @param requestTimeout the time within which every request is answered (its response starts) once it has been
 *     received in full: past it, {@code 503} with the service's JSON error and {@code Retry-After}; the server's
 *     request timeout
 */
public record HttpSettings(
    String host, int port, String token, int maxLineBytes, long maxBodyBytes, int maxStreams, int parallelism, long bufferBytes,
    int maxJobBytes, int maxStreamsPerClient, Duration streamIdleTimeout, long streamMinBytesPerSecond, Duration streamRateWindow,
    Duration requestTimeout) {

  /** The default of {@code pel.http.request-timeout}. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  /** The shortest {@code pel.http.request-timeout}: below it a healthy job store's write would not fit. */
  public static final Duration MIN_REQUEST_TIMEOUT = Duration.ofSeconds(1);

  /** The default of {@code pel.http.max-job-size}. */
  private static final int DEFAULT_MAX_JOB_BYTES = 8 << 20;
  private static final int DEFAULT_MAX_STREAMS_PER_CLIENT = 16;
  private static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
  private static final long DEFAULT_MIN_BYTES_PER_SECOND = 100;
  private static final Duration DEFAULT_RATE_WINDOW = Duration.ofSeconds(30);

  /** @throws IllegalArgumentException if a limit is not positive, or the per-client limit is over the node's */
  public HttpSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(streamIdleTimeout, "streamIdleTimeout");
    Objects.requireNonNull(streamRateWindow, "streamRateWindow");
    if (maxJobBytes < 1) throw new IllegalArgumentException("maxJobBytes must be positive, not " + maxJobBytes);
    if (maxStreamsPerClient < 1 || maxStreamsPerClient > maxStreams) {
      throw new IllegalArgumentException("maxStreamsPerClient must be 1.." + maxStreams + " (maxStreams), not " + maxStreamsPerClient);
    }
    if (streamIdleTimeout.isNegative() || streamIdleTimeout.isZero()) throw new IllegalArgumentException("streamIdleTimeout must be positive, not " + streamIdleTimeout);
    if (streamMinBytesPerSecond < 0) {
      throw new IllegalArgumentException("streamMinBytesPerSecond must be 0 (no minimum) or more, not " + streamMinBytesPerSecond);
    }
    if (streamRateWindow.isNegative() || streamRateWindow.isZero()) throw new IllegalArgumentException("streamRateWindow must be positive, not " + streamRateWindow);
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (requestTimeout.compareTo(MIN_REQUEST_TIMEOUT) < 0) {
      throw new InvalidSettingException("pel.http.request-timeout", requestTimeout, "a duration of at least " + MIN_REQUEST_TIMEOUT.toSeconds() + "s");
    }
  }

  /**
   * The settings with the given stream limits, and the defaults of {@code reference.conf} for the job body
   * limit, the per-client limit (at most {@code maxStreams}), the slow-client rules and the request timeout.
   */
  public HttpSettings(String host, int port, String token, int maxLineBytes, long maxBodyBytes, int maxStreams, int parallelism,
      long bufferBytes) {
    this(host, port, token, maxLineBytes, maxBodyBytes, maxStreams, parallelism, bufferBytes, DEFAULT_MAX_JOB_BYTES,
        Math.min(DEFAULT_MAX_STREAMS_PER_CLIENT, maxStreams), DEFAULT_IDLE_TIMEOUT, DEFAULT_MIN_BYTES_PER_SECOND, DEFAULT_RATE_WINDOW,
        DEFAULT_REQUEST_TIMEOUT);
  }

  /** These settings with job bodies of at most {@code bytes}. */
  public HttpSettings withMaxJobBytes(int bytes) {
    return new HttpSettings(host, port, token, maxLineBytes, maxBodyBytes, maxStreams, parallelism, bufferBytes, bytes,
        maxStreamsPerClient, streamIdleTimeout, streamMinBytesPerSecond, streamRateWindow, requestTimeout);
  }

  /** These settings with at most {@code streams} streams per remote address. */
  public HttpSettings withMaxStreamsPerClient(int streams) {
    return new HttpSettings(host, port, token, maxLineBytes, maxBodyBytes, maxStreams, parallelism, bufferBytes, maxJobBytes,
        streams, streamIdleTimeout, streamMinBytesPerSecond, streamRateWindow, requestTimeout);
  }

  /** These settings with the given slow-client rules ({@code minBytesPerSecond} 0: no minimum rate). */
  public HttpSettings withSlowClientRules(Duration idleTimeout, long minBytesPerSecond, Duration rateWindow) {
    return new HttpSettings(host, port, token, maxLineBytes, maxBodyBytes, maxStreams, parallelism, bufferBytes, maxJobBytes,
        maxStreamsPerClient, idleTimeout, minBytesPerSecond, rateWindow, requestTimeout);
  }

  /** These settings with requests answered within {@code timeout}. */
  public HttpSettings withRequestTimeout(Duration timeout) {
    return new HttpSettings(host, port, token, maxLineBytes, maxBodyBytes, maxStreams, parallelism, bufferBytes, maxJobBytes,
        maxStreamsPerClient, streamIdleTimeout, streamMinBytesPerSecond, streamRateWindow, timeout);
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
   *
   * @throws InvalidSettingException naming the key (or variable) and its value, if one is not valid
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
    int maxStreams = intAtLeast(pel, "http.max-concurrent-streams", 1);
    int perClient = intAtLeast(pel, "http.max-streams-per-client", 1);
    if (perClient > maxStreams) {
      throw new InvalidSettingException("pel.http.max-streams-per-client", perClient,
          "a whole number from 1 to pel.http.max-concurrent-streams = " + maxStreams);
    }
    long minRate;
    try {
      minRate = pel.getLong("http.stream-min-bytes-per-second");
    } catch (ConfigException.WrongType e) {
      throw new InvalidSettingException("pel.http.stream-min-bytes-per-second", pel.getValue("http.stream-min-bytes-per-second").unwrapped(),
          "a whole number of bytes per second, 0 for no minimum");
    }
    if (minRate < 0) {
      throw new InvalidSettingException("pel.http.stream-min-bytes-per-second", minRate, "a whole number of bytes per second, 0 for no minimum");
    }
    return new HttpSettings(host, port, string(pel, "http.token"), (int) size(pel, "http.max-line-size", 1, Integer.MAX_VALUE),
        size(pel, "http.max-body-size", 1, Long.MAX_VALUE), maxStreams, intAtLeast(pel, "http.stream-parallelism", 1),
        size(pel, "http.stream-buffer-size", 1, Long.MAX_VALUE), (int) size(pel, "http.max-job-size", 1, Integer.MAX_VALUE - 8),
        perClient, positive(pel, "http.stream-idle-timeout"), minRate, positive(pel, "http.stream-rate-window"), requestTimeout(config));
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
