package io.pel.bench.jmh;

import io.pel.actors.internal.RouteeState;
import io.pel.actors.internal.RoutingStrategy;
import io.pel.actors.internal.TaskId;
import io.pel.actors.internal.TaskRecord;
import io.pel.cluster.PelSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The supervisor's routing decision for one task, with no actor involved: the routee that {@link
 * RoutingStrategy} (as {@code pel.routing.strategy} configures it) picks among {@code routees} routees that
 * all have room, which is what the supervisor hands the strategy when no routee is full. The supervisor's
 * own loop that leaves out full routees is not included.
 *
 * <p>Every routee has a learned service time for the task's type (20&ndash;80 µs, differing per routee)
 * and none has work outstanding, so adaptive routing compares real estimates. Routees sit two to a node,
 * the first node being local. Each call routes the next of 1024 tasks, so hashes and random draws vary.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class RoutingBenchmark {

  private static final String TYPE = "bench.jmh.identity";
  /** Tasks cycled through; a power of two. */
  private static final int TASKS = 1024;

  /** The routees and the tasks to route; the same for every strategy. */
  @State(Scope.Thread)
  public static class Routees {

    @Param({"2", "16", "64"})
    public int routees;

    List<RouteeState> available;
    TaskRecord[] unkeyed;
    TaskRecord[] keyed;
    private int next;

    @Setup
    public void setUp() {
      SplittableRandom random = new SplittableRandom(7);
      available = new ArrayList<>();
      for (int i = 0; i < routees; i++) {
        String name = "pekko://pel@10.0.0." + (i / 2 + 1) + ":25520/user/worker-" + (i % 2);
        RouteeState routee = new RouteeState(null, name, i < 2, 16);
        routee.recordService(TYPE, random.nextLong(20_000, 80_000), 0.2, System.nanoTime());
        available.add(routee);
      }
      long node = random.nextLong();
      unkeyed = new TaskRecord[TASKS];
      keyed = new TaskRecord[TASKS];
      for (int i = 0; i < TASKS; i++) {
        unkeyed[i] = new TaskRecord(new TaskId(node, i + 1), TYPE, null, (long) i, null);
        keyed[i] = new TaskRecord(new TaskId(node, TASKS + i + 1), TYPE, "account-" + i, (long) i, null);
      }
    }

    /** The index of the next task to route. */
    int next() {
      return next++ & (TASKS - 1);
    }
  }

  /** One configured strategy for unkeyed tasks, with its own state (a counter or a random source). */
  @State(Scope.Thread)
  public static class Strategy {

    /**
     * Values of {@code pel.routing.strategy}; consistent-hash is left out, as it is {@link
     * RoutingBenchmark#shardKey}'s pick applied to the hash of the task id.
     */
    @Param({"adaptive", "least-outstanding", "round-robin"})
    public String strategy;

    RoutingStrategy routing;

    @Setup
    public void setUp() {
      routing = RoutingStrategy.of(routing(strategy), new SplittableRandom(11), System::nanoTime);
    }
  }

  /** The strategy named as in {@code pel.routing.strategy}. */
  private static PelSettings.Routing routing(String configName) {
    for (PelSettings.Routing routing : PelSettings.Routing.values()) {
      if (routing.configName().equals(configName)) return routing;
    }
    throw new IllegalArgumentException("no routing strategy named " + configName);
  }

  /**
   * The consistent-hash strategy: rendezvous hashing of a task's key hash, the same pick the supervisor
   * makes for every task with a shard key, whatever the configured strategy.
   */
  @State(Scope.Thread)
  public static class KeyedRouting {
    final RoutingStrategy routing = RoutingStrategy.of(PelSettings.Routing.CONSISTENT_HASH, new SplittableRandom(11), System::nanoTime);
  }

  /** The routee the configured strategy picks for one unkeyed task. */
  @Benchmark
  public RouteeState select(Routees routees, Strategy strategy) {
    return strategy.routing.select(routees.unkeyed[routees.next()], routees.available);
  }

  /**
   * The home routee of one task with a shard key: rendezvous hashing of the key's hash (computed once,
   * when the task is accepted) against every routee, as the supervisor dispatches a keyed task's first
   * attempt (a retry also skips the routee that failed it).
   */
  @Benchmark
  public RouteeState shardKey(Routees routees, KeyedRouting keyed) {
    return keyed.routing.select(routees.keyed[routees.next()], routees.available);
  }
}
