package io.pel.actors.cluster;

import com.typesafe.config.ConfigFactory;
import io.pel.actors.ExecutionLayer;
import io.pel.actors.JobStatus;
import io.pel.actors.Jobs;
import io.pel.actors.LayerStats;
import io.pel.actors.TaskOutcome;
import io.pel.actors.TaskType;
import io.pel.testkit.NodeCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * A PEL node for the multi-JVM tests: the same handlers on every node, and commands the tests call
 * through the test kit. Results carry the node that ran them, so the submitter can tell where work went.
 *
 * <p>Commands: {@code run ID N MICROS} starts N tasks of about MICROS each (in the background);
 * {@code await ID SECONDS} reports on a run once all of its tasks completed; {@code progress ID};
 * {@code executed} (tasks this node ran); {@code routees N} waits until this node routes to N routees;
 * {@code keys N} routes N shard keys and reports each one's node;
 * {@code secrets N} mixes N tasks whose payload class only this node registered with N ordinary ones;
 * {@code stream ID MICROS} starts tasks without end until {@code stop ID}, after which {@code await ID}
 * reports on them as on a run. With {@code -Dcluster-test.jobs=true} the node has checkpointed jobs:
 * {@code job ID N MICROS} submits a job of N mix tasks and {@code job-results ID SECONDS} waits for its
 * outcomes and checks them.
 */
public final class ClusterTestNode {

  /** A result and the node that computed it. */
  public record Tagged(long value, String node) {}

  /** A payload class registered only on nodes started with {@code -Dcluster-test.secret=true}. */
  public record Secret(long value) {}

  static final TaskType<Long, Tagged> MIX = TaskType.of("mix", Long.class, Tagged.class);
  static final TaskType<Long, String> WHERE = TaskType.of("where", Long.class, String.class);
  static final TaskType<Secret, Long> REVEAL = TaskType.of("reveal", Secret.class, Long.class);
  /** Idempotent, so it is speculated: 10 ms, or 50 times that on a node started with -Dcluster-test.slow=true. */
  static final TaskType<Long, Tagged> STRAGGLE = TaskType.of("straggle", Long.class, Tagged.class).asIdempotent();
  private static final Map<Long, Integer> straggleStarts = new ConcurrentHashMap<>();

  /** Printed once this node has run this many tasks, so a test can wait for work to have reached it. */
  static final long MILESTONE = 1000;

  /** Tasks a run keeps in flight, below a node's admission limit. */
  private static final int WINDOW = 4000;

  private static final AtomicLong executed = new AtomicLong();
  private static final Map<String, Run> runs = new ConcurrentHashMap<>();

  private ClusterTestNode() {}

  public static void main(String[] args) {
    String classes = "\"" + Tagged.class.getName() + "\"" + (Boolean.getBoolean("cluster-test.secret") ? ", \"" + Secret.class.getName() + "\"" : "");
    // MIX parks to stand for so many microseconds of a routee's work. These tests are about where attempts run
    // and what survives, so the blocking pool's detection is off: found blocking, MIX would run 64 at a time
    // on each of five JVMs sharing two cores (BlockingTypesTest and BlockingPoolTest cover the pool).
    ExecutionLayer layer = ExecutionLayer.start(ConfigFactory.parseString("pel.serialization.classes = [" + classes + "]\n"
        + "pel.blocking-pool.detect = off"));
    layer.register(MIX, (i, ctx) -> {
      long micros = i >>> 40;
      if (micros > 0) LockSupport.parkNanos(micros * 1000);
      if (executed.incrementAndGet() == MILESTONE) System.out.println("cluster-test-node executed " + MILESTONE + " tasks");
      return new Tagged(mix(i & 0xFF_FFFF_FFFFL), node(ctx.routee()));
    });
    layer.register(WHERE, (i, ctx) -> node(ctx.routee()));
    layer.register(REVEAL, (secret, ctx) -> secret.value());
    boolean slow = Boolean.getBoolean("cluster-test.slow");
    layer.register(STRAGGLE, (i, ctx) -> {
      straggleStarts.merge(i, 1, Integer::sum);
      Thread.sleep(slow ? 500 : 10);
      return new Tagged(i, node(ctx.routee()));
    });
    CoordinatedShutdown.get(Adapter.toClassic(layer.system())).addTask(
        CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "report", () -> {
          System.out.println("cluster-test-node executed=" + executed.get() + " stats=" + layer.stats());
          return CompletableFuture.completedFuture(Done.getInstance());
        });

    NodeCommands.register("run", line -> {
      String[] a = line.split(" ");
      Run run = new Run(layer, Integer.parseInt(a[1]), Long.parseLong(a[2]));
      if (runs.putIfAbsent(a[0], run) != null) throw new IllegalArgumentException("run " + a[0] + " exists");
      run.start();
      return "started";
    });
    NodeCommands.register("await", line -> {
      String[] a = line.split(" ");
      return runs.get(a[0]).await(Long.parseLong(a[1]));
    });
    NodeCommands.register("stream", line -> {
      String[] a = line.split(" ");
      Run run = new Run(layer, Run.OPEN_ENDED, Long.parseLong(a[1]));
      if (runs.putIfAbsent(a[0], run) != null) throw new IllegalArgumentException("run " + a[0] + " exists");
      run.start();
      return "started";
    });
    NodeCommands.register("stop", id -> Long.toString(runs.get(id).stop()));
    if (Boolean.getBoolean("cluster-test.jobs")) registerJobs(layer);
    NodeCommands.register("progress", id -> Long.toString(runs.get(id).results.size()));
    NodeCommands.register("executed", ignored -> Long.toString(executed.get()));
    NodeCommands.register("routees", n -> awaitRoutees(layer, Integer.parseInt(n)));
    NodeCommands.register("keys", n -> keys(layer, Integer.parseInt(n)));
    NodeCommands.register("secrets", n -> secrets(layer, Integer.parseInt(n)));
    NodeCommands.register("straggle", line -> straggle(layer, Integer.parseInt(line.split(" ")[0]), line.split(" ")[1]));
    NodeCommands.register("started", ignored -> "tasks=" + straggleStarts.size() + " startedTwice="
        + straggleStarts.values().stream().filter(n -> n > 1).count() + " indices="
        + straggleStarts.keySet().stream().sorted().map(String::valueOf).collect(Collectors.joining(",")));
    layer.system().getWhenTerminated().toCompletableFuture().join();
  }

  /** Checkpointed jobs of mix tasks; the node resumes the store's unfinished ones as it starts them. */
  private static void registerJobs(ExecutionLayer layer) {
    Jobs jobs = layer.jobs();
    NodeCommands.register("job", line -> {
      String[] a = line.split(" ");
      long micros = Long.parseLong(a[2]);
      List<Long> inputs = LongStream.range(0, Integer.parseInt(a[1])).map(i -> (micros << 40) | i).boxed().toList();
      JobStatus s = jobs.submit(a[0], MIX, inputs).toCompletableFuture().join();
      return "state=" + s.state() + " total=" + s.total() + " node=" + s.node();
    });
    NodeCommands.register("job-results", line -> {
      String[] a = line.split(" ");
      List<TaskOutcome<Tagged>> outcomes = jobs.results(a[0], MIX).toCompletableFuture().orTimeout(Long.parseLong(a[1]), TimeUnit.SECONDS).join();
      int right = 0;
      int failed = 0;
      for (int i = 0; i < outcomes.size(); i++) {
        TaskOutcome<Tagged> o = outcomes.get(i);
        if (!o.succeeded()) failed++;
        else if (o.result().value() == mix(i)) right++;
      }
      JobStatus s = jobs.status(a[0]).toCompletableFuture().join();
      return "results=" + outcomes.size() + " right=" + right + " failed=" + failed + " state=" + s.state() + " node=" + s.node();
    });
  }

  /** The SplitMix64 finaliser: the value a task with input {@code i} must yield. */
  public static long mix(long i) {
    long z = i + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** {@code pekko://pel@127.0.0.1:port} of a routee's path. */
  static String node(String routee) {
    int user = routee.indexOf("/user/");
    return user < 0 ? routee : routee.substring(0, user);
  }

  /**
   * N tasks through a window of {@link #WINDOW}, or with {@link #OPEN_ENDED} as many as go out until {@link
   * #stop}; every result is recorded once, by task index.
   */
  private static final class Run {
    static final int OPEN_ENDED = Integer.MAX_VALUE;
    final ExecutionLayer layer;
    /** Tasks to submit; lowered to those submitted when an open-ended run stops. */
    volatile int n;
    /** Tasks submitted in all, once the submitter is done; -1 before. */
    volatile long total = -1;
    final long micros;
    final Map<Integer, Tagged> results = new ConcurrentHashMap<>();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    final Semaphore window = new Semaphore(WINDOW);
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final CompletableFuture<Integer> stopped = new CompletableFuture<>();
    volatile String firstFailure;

    Run(ExecutionLayer layer, int n, long micros) {
      this.layer = layer;
      this.n = n;
      this.micros = micros;
    }

    void start() {
      Thread submitter = new Thread(() -> {
        try {
          int i = 0;
          for (; i < n; i++) {
            window.acquire();
            int index = i;
            layer.submit(MIX, (micros << 40) | i).whenComplete((tagged, failure) -> completed(index, tagged, failure));
          }
          total = i;
          if (delivered.get() == i) done.complete(null);
          stopped.complete(i);
        } catch (Throwable e) {
          done.completeExceptionally(e);
          stopped.completeExceptionally(e);
        }
      }, "cluster-test-run");
      submitter.setDaemon(true);
      submitter.start();
    }

    void completed(int index, Tagged tagged, Throwable failure) {
      window.release();
      if (failure != null) {
        failures.incrementAndGet();
        if (firstFailure == null) firstFailure = failure.toString();
      } else {
        results.putIfAbsent(index, tagged);
      }
      if (delivered.incrementAndGet() == total) done.complete(null);
    }

    /** Submits no more; the tasks submitted in all. */
    int stop() {
      n = 0;
      return stopped.orTimeout(30, TimeUnit.SECONDS).join();
    }

    String await(long seconds) {
      try {
        done.get(seconds, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("run not complete after " + seconds + " s: " + delivered.get() + " of " + (total < 0 ? n : total) + " delivered", e);
      }
      long checksum = 0;
      Map<String, Integer> perNode = new TreeMap<>();
      for (Tagged t : results.values()) {
        checksum += t.value();
        perNode.merge(t.node(), 1, Integer::sum);
      }
      LayerStats stats = layer.stats();
      return "results=" + results.size() + " deliveries=" + delivered.get() + " failures=" + failures.get()
          + " checksum=" + checksum + " redispatched=" + stats.redispatched() + " retries=" + stats.retries()
          + " duplicatesDropped=" + stats.duplicatesDropped() + " nodes="
          + perNode.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","))
          + (firstFailure == null ? "" : " firstFailure=" + firstFailure.replace(' ', '_'));
    }
  }

  /** Waits (up to 30 s) until the supervisor here dispatches to {@code n} routees, cluster-wide. */
  private static String awaitRoutees(ExecutionLayer layer, int n) {
    return Integer.toString(layer.awaitRoutees(count -> count == n).toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join());
  }

  /** Routes keys k0..k(n-1) by shard key; answers {@code node node ...} in key order. */
  private static String keys(ExecutionLayer layer, int n) {
    List<CompletableFuture<String>> where = new ArrayList<>();
    for (long k = 0; k < n; k++) where.add(layer.submit(WHERE, "k" + k, k).toCompletableFuture());
    return where.stream().map(CompletableFuture::join).collect(Collectors.joining(" "));
  }

  /**
   * Runs n straggle tasks from this node, all at once; answers how many results came back, how many are
   * right, this node's speculation counters, and which tasks' results came from a node other than {@code
   * slowNode}.
   */
  private static String straggle(ExecutionLayer layer, int n, String slowNode) {
    List<CompletableFuture<Tagged>> results = new ArrayList<>();
    for (long i = 0; i < n; i++) results.add(layer.submit(STRAGGLE, i).toCompletableFuture());
    int right = 0;
    List<String> elsewhere = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Tagged t = results.get(i).orTimeout(120, TimeUnit.SECONDS).join();
      if (t.value() == i) right++;
      if (!t.node().equals(slowNode)) elsewhere.add(Integer.toString(i));
    }
    LayerStats stats = layer.stats();
    return "results=" + results.size() + " right=" + right + " launches=" + stats.speculativeLaunches()
        + " wins=" + stats.speculativeWins() + " elsewhere=" + String.join(",", elsewhere);
  }

  /** Interleaves n ordinary tasks with n secret ones; answers what came back. */
  private static String secrets(ExecutionLayer layer, int n) {
    List<CompletableFuture<Long>> ordinary = new ArrayList<>();
    List<CompletableFuture<Long>> secret = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      secret.add(layer.submit(REVEAL, new Secret(i)).toCompletableFuture());
      ordinary.add(layer.submit(MIX, i).thenApply(Tagged::value).toCompletableFuture());
    }
    long checksum = 0;
    for (CompletableFuture<Long> f : ordinary) checksum += f.join();
    int refused = 0;
    String error = "";
    for (CompletableFuture<Long> f : secret) {
      Throwable e = f.handle((v, failure) -> failure).join();
      if (e != null) {
        refused++;
        error = String.valueOf(e.getCause() == null ? e : e.getCause()).replaceAll("\\s", "_");
      }
    }
    return "checksum=" + checksum + " refused=" + refused + " error=" + error;
  }
}
