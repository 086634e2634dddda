package io.pel.service.internal;

import static io.pel.cluster.internal.ConfigReader.fraction;
import static io.pel.cluster.internal.ConfigReader.intAtLeast;
import static io.pel.cluster.internal.ConfigReader.positive;

import com.typesafe.config.Config;
import io.pel.cluster.InvalidSettingException;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * The cluster-size signal: how many worker nodes the cluster should have for its load. The load is the
 * cluster's attempts completed per second, its true processing rate (what its routees would complete if
 * always busy: completed per second ÷ busy fraction, per node, as Flink's autoscaler computes it) and the
 * tasks waiting for a routee. The demand is the completed rate plus the waiting tasks drained within
 * {@code backlog-drain-time}; the recommendation is the number of nodes whose capacity at the target
 * utilisation meets the demand, between {@code min-nodes} and {@code max-nodes}.
 *
 * <p>It rises at once, and falls lazily: only to the highest recommendation of the last {@code
 * scale-down-window}, as Kubernetes' HPA stabilises scale-down. A trickle of work cannot keep a cluster
 * large (a timer reset by every task would, as Ray's idle timeout is by a trickle): what the window keeps is
 * the recommendations themselves, and a trickle's are low. Nor does it fall before it has seen a whole window.
 * Reads the time it is given, so a test drives it;
 * not thread-safe (one caller, on a schedule).
 */
final class ScaleAdvisor {

  /**
   * @param targetUtilisation the routees' busy fraction to size for, in (0, 1]
   * @param backlogDrain how soon the tasks waiting now should be done
   * @param scaleDownWindow how long a lower recommendation must hold before it is given
   * @param loadWindow the span of a node's load readings that its report covers
   * @param sampleInterval how often a node reads its load, reports it and recommends
   */
  record Settings(double targetUtilisation, Duration backlogDrain, Duration scaleDownWindow, int minNodes, int maxNodes,
      Duration loadWindow, Duration sampleInterval) {

    /** The defaults of {@code reference.conf} for the load's window (60 s) and readings (every 5 s). */
    Settings(double targetUtilisation, Duration backlogDrain, Duration scaleDownWindow, int minNodes, int maxNodes) {
      this(targetUtilisation, backlogDrain, scaleDownWindow, minNodes, maxNodes, Duration.ofSeconds(60), Duration.ofSeconds(5));
    }

    Settings {
      if (sampleInterval.compareTo(loadWindow) >= 0) {
        throw new InvalidSettingException("pel.autoscale.sample-interval", sampleInterval, "a duration shorter than pel.autoscale.load-window = " + loadWindow);
      }
      if (!(targetUtilisation > 0 && targetUtilisation <= 1)) {
        throw new InvalidSettingException("pel.autoscale.target-utilisation", targetUtilisation, "a number in (0, 1]");
      }
      if (minNodes < 1) throw new InvalidSettingException("pel.autoscale.min-nodes", minNodes, "a whole number of at least 1");
      if (maxNodes < minNodes) {
        throw new InvalidSettingException("pel.autoscale.max-nodes", maxNodes, "a whole number of at least pel.autoscale.min-nodes = " + minNodes);
      }
    }

    /** {@code pel.autoscale}, checked. */
    static Settings fromConfig(Config config) {
      Config pel = config.getConfig("pel");
      return new Settings(fraction(pel, "autoscale.target-utilisation"), positive(pel, "autoscale.backlog-drain-time"),
          positive(pel, "autoscale.scale-down-window"), intAtLeast(pel, "autoscale.min-nodes", 1), intAtLeast(pel, "autoscale.max-nodes", 1),
          positive(pel, "autoscale.load-window"), positive(pel, "autoscale.sample-interval"));
    }
  }

  /**
   * The cluster's load over the last minute.
   *
   * @param nodes worker nodes Up now
   * @param completedPerSecond attempts completed per second, over the cluster
   * @param trueRatePerSecond the sum of the nodes' true rates (0 for an idle node)
   * @param busyNodes nodes whose true rate is known (busy some of the time)
   * @param waiting tasks waiting for a routee, over the cluster
   */
  record Load(int nodes, double completedPerSecond, double trueRatePerSecond, int busyNodes, long waiting) {}

  private final Settings settings;
  /** Recommendations of the last window: {@code [nanos, nodes]}, oldest first. */
  private final ArrayDeque<long[]> recent = new ArrayDeque<>();
  private boolean started;
  private long firstNanos;

  ScaleAdvisor(Settings settings) {
    this.settings = settings;
  }

  /**
   * The recommendation for {@code load} at {@code nanos}. Below the nodes there are now only once a whole
   * window has been seen: a node just started has no history that could justify fewer.
   */
  int recommend(long nanos, Load load) {
    int raw = raw(load);
    if (!started) {
      started = true;
      firstNanos = nanos;
    }
    recent.addLast(new long[] {nanos, raw});
    while (!recent.isEmpty() && nanos - recent.peekFirst()[0] > settings.scaleDownWindow().toNanos()) recent.pollFirst();
    if (raw >= load.nodes()) return raw;
    if (nanos - firstNanos < settings.scaleDownWindow().toNanos()) return Math.max(load.nodes(), settings.minNodes());
    long highest = raw;
    for (long[] r : recent) highest = Math.max(highest, r[1]);
    return (int) Math.min(Math.max(load.nodes(), settings.minNodes()), highest);
  }

  /** What the load alone asks for, before the window. */
  int raw(Load load) {
    double demand = load.completedPerSecond() + load.waiting() / (double) settings.backlogDrain().toSeconds();
    if (demand <= 0) return settings.minNodes();
    if (load.busyNodes() == 0 || load.trueRatePerSecond() <= 0) {
      // Work waits and nothing was measured yet: one node more than now, the least that can help.
      return clamp(load.nodes() + 1);
    }
    double perNode = load.trueRatePerSecond() / load.busyNodes();
    return clamp((int) Math.ceil(demand / (perNode * settings.targetUtilisation()) - 1e-9));
  }

  private int clamp(int nodes) {
    return Math.max(settings.minNodes(), Math.min(settings.maxNodes(), nodes));
  }
}
