package io.pel.actors.internal;

import static io.pel.cluster.internal.ConfigReader.bool;
import static io.pel.cluster.internal.ConfigReader.fraction;
import static io.pel.cluster.internal.ConfigReader.intAtLeast;
import static io.pel.cluster.internal.ConfigReader.positive;

import com.typesafe.config.Config;
import io.pel.cluster.InvalidSettingException;
import java.time.Duration;

/**
 * The {@code pel.blocking-pool} settings: where the synchronous handlers of blocking task types run.
 *
 * @param minThreads threads the pool keeps however idle
 * @param maxThreads threads it may grow to; 0 turns the pool off (blocking types run on the routees)
 * @param maxTypeShare the share of {@code maxThreads} one task type may take
 * @param sampleInterval how often the pool decides its size
 * @param idlePeriod how long threads must go unneeded before the pool shrinks
 * @param cooldown after a shrink, or a growth that did not pay, how long before the next
 * @param detect whether a synchronous type that waits most of its time is found and moved to the pool
 */
public record BlockingPoolSettings(
    int minThreads, int maxThreads, double maxTypeShare, Duration sampleInterval, Duration idlePeriod,
    Duration cooldown, boolean detect) {

  /** The most threads the pool may have. */
  public static final int MAX_THREADS = 4096;

  /** Reads and validates {@code pel.blocking-pool} of {@code config}. */
  public static BlockingPoolSettings fromConfig(Config config) {
    Config pel = config.getConfig("pel");
    int min = intAtLeast(pel, "blocking-pool.min-threads", 0);
    int max = intAtLeast(pel, "blocking-pool.max-threads", 0);
    if (max > MAX_THREADS) throw new InvalidSettingException("pel.blocking-pool.max-threads", max, "a whole number 0.." + MAX_THREADS);
    if (min > max) {
      throw new InvalidSettingException("pel.blocking-pool.min-threads", min, "at most pel.blocking-pool.max-threads (" + max + ")");
    }
    return new BlockingPoolSettings(min, max,
        fraction(pel, "blocking-pool.max-type-share"),
        positive(pel, "blocking-pool.sample-interval"),
        positive(pel, "blocking-pool.idle-period"),
        positive(pel, "blocking-pool.cooldown"),
        bool(pel, "blocking-pool.detect"));
  }

  /** Whether there is a pool at all. */
  public boolean enabled() {
    return maxThreads > 0;
  }

  /** The most threads one task type may hold at once: its share of the maximum, at least one. */
  public int typeLimit() {
    return Math.max(1, (int) Math.floor(maxTypeShare * maxThreads));
  }
}
