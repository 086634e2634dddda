package io.pel.service;

import static io.pel.cluster.internal.ConfigReader.intAtLeast;
import static io.pel.cluster.internal.ConfigReader.size;
import static io.pel.cluster.internal.ConfigReader.string;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.pel.cluster.InvalidSettingException;
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
 */
public record HttpSettings(
    String host, int port, String token, int maxLineBytes, long maxBodyBytes, int maxStreams, int parallelism, long bufferBytes,
    int maxJobBytes) {

  /** The default of {@code pel.http.max-job-size}. */
  private static final int DEFAULT_MAX_JOB_BYTES = 8 << 20;

  /** @throws IllegalArgumentException if the job body limit is not positive */
  public HttpSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(token, "token");
    if (maxJobBytes < 1) throw new IllegalArgumentException("maxJobBytes must be positive, not " + maxJobBytes);
  }

  /** The settings with the given stream limits, and the default of {@code reference.conf} for the job body limit. */
  public HttpSettings(String host, int port, String token, int maxLineBytes, long maxBodyBytes, int maxStreams, int parallelism,
      long bufferBytes) {
    this(host, port, token, maxLineBytes, maxBodyBytes, maxStreams, parallelism, bufferBytes, DEFAULT_MAX_JOB_BYTES);
  }

  /** These settings with job bodies of at most {@code bytes}. */
  public HttpSettings withMaxJobBytes(int bytes) {
    return new HttpSettings(host, port, token, maxLineBytes, maxBodyBytes, maxStreams, parallelism, bufferBytes, bytes);
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
    return new HttpSettings(host, port, string(pel, "http.token"), (int) size(pel, "http.max-line-size", 1, Integer.MAX_VALUE),
        size(pel, "http.max-body-size", 1, Long.MAX_VALUE), intAtLeast(pel, "http.max-concurrent-streams", 1),
        intAtLeast(pel, "http.stream-parallelism", 1), size(pel, "http.stream-buffer-size", 1, Long.MAX_VALUE),
        (int) size(pel, "http.max-job-size", 1, Integer.MAX_VALUE - 8));
  }
}
