package io.pel.cluster;

import static io.pel.cluster.internal.ConfigReader.atLeast;
import static io.pel.cluster.internal.ConfigReader.bool;
import static io.pel.cluster.internal.ConfigReader.fraction;
import static io.pel.cluster.internal.ConfigReader.intAtLeast;
import static io.pel.cluster.internal.ConfigReader.number;
import static io.pel.cluster.internal.ConfigReader.positive;
import static io.pel.cluster.internal.ConfigReader.string;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The {@code pel.*} settings of one node, read from config and checked once at start-up.
 *
 * <p>Every value is validated in {@link #fromConfig(Config)}; a bad one raises an {@link
 * InvalidSettingException} that names the key, the value and what was expected, so a node never starts
 * half-configured.
 *
 * @param workersPerNode routees this node runs: {@code pel.workers-per-node} on a node with the {@link
 *     #WORKER_ROLE} role, 0 on any other (a node that submits work but runs none)
 * @param maxInFlightPerWorker tasks one routee of this node may hold at once, or {@link #AUTO} (0): two
 *     messages' worth for the task type at hand, at least 16
 * @param maxInFlightPerRemoteWorker tasks one routee on another node may hold at once, or {@link #AUTO}
 *     (0): two messages' worth for the task type at hand, at least 256
 * @param maxPendingPerNode tasks accepted beyond what the routees hold
 * @param taskTimeout how long one attempt may take before it is failed and retried
 * @param routing how unkeyed tasks pick a routee
 * @param ewmaAlpha weight of the newest sample in adaptive routing's service-time average
 * @param retry the retry policy
 * @param restart backoff of a crashed routee's restart
 * @param shutdownDrainTimeout how long close() waits for accepted work
 * @param speculation when a straggling attempt gets a duplicate
 */
public record PelSettings(
    int workersPerNode,
    int maxInFlightPerWorker,
    int maxInFlightPerRemoteWorker,
    int maxPendingPerNode,
    Duration taskTimeout,
    Routing routing,
    double ewmaAlpha,
    Retry retry,
    Backoff restart,
    Duration shutdownDrainTimeout,
    Speculation speculation) {

  /** {@code maxInFlightPerWorker} when set to {@code auto}: the supervisor sizes it per task type. */
  public static final int AUTO = 0;
  /** What {@link #AUTO} counts as per routee in the admission limit: its least. */
  public static final int AUTO_IN_FLIGHT_FLOOR = 16;

  /** The cluster role of the nodes that run routees. */
  public static final String WORKER_ROLE = "worker";

  /** Routing strategies for tasks without a shard key. */
  public enum Routing {
    ROUND_ROBIN,
    CONSISTENT_HASH,
    LEAST_OUTSTANDING,
    ADAPTIVE;

    /** The name used in config, for example {@code least-outstanding}. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Routing parse(String key, String value) {
      for (Routing r : values()) {
        if (r.configName().equals(value)) return r;
      }
      throw new InvalidSettingException(
          key, value, "one of round-robin, consistent-hash, least-outstanding, adaptive");
    }
  }

  /**
   * Speculative execution of stragglers: an attempt of a task type declared idempotent (or of any type,
   * with {@code allTypes}) that has run longer than {@code max(multiplier × p95 of its type, floor)}
   * gets a duplicate on another routee; the first result wins.
   *
   * @param multiplier how many times its type's p95 an attempt may run before it is duplicated
   * @param floor the least running time before a duplicate
   * @param maxInFlight speculative duplicates running at once on this node (0: speculation off)
   * @param minSamples completed attempts of a type needed before its p95 is trusted
   * @param allTypes duplicate attempts of types not declared idempotent too
   */
  public record Speculation(double multiplier, Duration floor, int maxInFlight, int minSamples, boolean allTypes) {
    public Speculation {
      Objects.requireNonNull(floor, "floor");
    }
  }

  /**
   * The retry policy.
   *
   * @param maxAttempts attempts per task, the first included
   * @param backoff delay before the second attempt, doubled per attempt up to its maximum
   * @param nonRetryable exception class names that fail a task without retry
   */
  public record Retry(int maxAttempts, Backoff backoff, List<String> nonRetryable) {
    public Retry {
      Objects.requireNonNull(backoff, "backoff");
      nonRetryable = List.copyOf(nonRetryable);
    }
  }

  /**
   * An exponential backoff: {@code min × 2^(n-1)} capped at {@code max}, stretched by a random {@code 0..
   * randomFactor}.
   */
  public record Backoff(Duration min, Duration max, double randomFactor) {
    public Backoff {
      Objects.requireNonNull(min, "min");
      Objects.requireNonNull(max, "max");
    }

    /**
     * The delay before retry number {@code n} (1 for the first retry), with {@code random} in [0, 1)
     * choosing the jitter.
     */
    public Duration delay(int n, double random) {
      long base = min.toNanos();
      long capped = max.toNanos();
      for (int i = 1; i < n && base < capped; i++) base = base * 2;
      base = Math.min(base, capped);
      return Duration.ofNanos(base + (long) (base * randomFactor * random));
    }
  }

  public PelSettings {
    Objects.requireNonNull(taskTimeout, "taskTimeout");
    Objects.requireNonNull(routing, "routing");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(restart, "restart");
    Objects.requireNonNull(shutdownDrainTimeout, "shutdownDrainTimeout");
    Objects.requireNonNull(speculation, "speculation");
  }

  /** Reads and validates the {@code pel} section of {@code config} (which must include PEL's reference.conf). */
  public static PelSettings fromConfig(Config config) {
    Config pel = config.getConfig("pel");
    int workers = roles(pel).contains(WORKER_ROLE) ? workers(pel) : 0;
    return new PelSettings(
        workers,
        inFlight(pel, "max-in-flight-per-worker"),
        inFlight(pel, "max-in-flight-per-remote-worker"),
        intAtLeast(pel, "max-pending-per-node", 1),
        positive(pel, "task-timeout"),
        Routing.parse("pel.routing.strategy", string(pel, "routing.strategy")),
        fraction(pel, "routing.ewma-alpha"),
        new Retry(
            intAtLeast(pel, "retry.max-attempts", 1),
            backoff(pel, "retry"),
            pel.getStringList("retry.non-retryable")),
        backoff(pel, "restart"),
        positive(pel, "shutdown-drain-timeout"),
        new Speculation(
            atLeast(pel, "speculation.multiplier", 1.0),
            positive(pel, "speculation.floor"),
            intAtLeast(pel, "speculation.max-in-flight", 0),
            intAtLeast(pel, "speculation.min-samples", 1),
            bool(pel, "speculation.all-types")));
  }

  /** Total tasks this node accepts at once: what its routees hold (at least) plus the pending allowance. */
  public int admissionLimit() {
    int perWorker = maxInFlightPerWorker == AUTO ? AUTO_IN_FLIGHT_FLOOR : maxInFlightPerWorker;
    return workersPerNode * perWorker + maxPendingPerNode;
  }

  private static int inFlight(Config pel, String key) {
    if (pel.getValue(key).unwrapped().equals("auto")) return AUTO;
    try {
      return intAtLeast(pel, key, 1);
    } catch (InvalidSettingException e) {
      throw new InvalidSettingException("pel." + key, pel.getValue(key).unwrapped(), "auto or a whole number of at least 1");
    }
  }

  private static List<String> roles(Config pel) {
    try {
      return pel.getStringList("node.roles");
    } catch (ConfigException.WrongType e) {
      throw new InvalidSettingException("pel.node.roles", pel.getValue("node.roles").unwrapped(), "a list of role names");
    }
  }

  private static int workers(Config pel) {
    String raw = string(pel, "workers-per-node");
    if (raw.equals("auto")) return Runtime.getRuntime().availableProcessors();
    try {
      int n = Integer.parseInt(raw.trim());
      if (n >= 0 && n <= 4096) return n;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new InvalidSettingException("pel.workers-per-node", raw, "auto or a whole number 0..4096");
  }

  private static Backoff backoff(Config pel, String section) {
    String minKey = section + (section.equals("retry") ? ".initial-backoff" : ".min-backoff");
    String maxKey = section + ".max-backoff";
    Duration min = positive(pel, minKey);
    Duration max = positive(pel, maxKey);
    if (max.compareTo(min) < 0) {
      throw new InvalidSettingException("pel." + maxKey, pel.getValue(maxKey).unwrapped(),
          "at least pel." + minKey + " (" + pel.getValue(minKey).unwrapped() + ")");
    }
    double factor = number(pel, section + ".random-factor");
    if (!(factor >= 0 && factor <= 10)) {
      throw new InvalidSettingException("pel." + section + ".random-factor", factor, "a number 0..10");
    }
    return new Backoff(min, max, factor);
  }
}
