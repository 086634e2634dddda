package io.pel.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pel.actors.PostgresStore;
import io.pel.testkit.JvmCluster;
import io.pel.testkit.JvmClusterBuilder;
import io.pel.testkit.JvmClusterException;
import io.pel.testkit.JvmNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded chaos run. Five JVMs; node 1 runs a stream of tasks without end and a checkpointed job, while a
 * seed draws faults for nodes 2 to 5, one after the other: a kill (SIGKILL), a pause (SIGSTOP for 1 to 8 s:
 * short ones come back, long ones are downed), or a partition that cuts one or two of them off from the
 * rest for 4 to 10 s (long enough, and the minority is downed by the split-brain resolver). After each fault the cluster is
 * brought back to five (a downed or killed node restarts), and once the faults are over every accepted task
 * of the stream has exactly one result, the job completes with each outcome exactly once, and the run prints
 * its figures. Node 1 is spared: a node that submits holds its callers' futures, which die with it, and it
 * is the oldest member, where the job index runs.
 *
 * <p>The seed is {@code -Dpel.chaos.seed} (default below), the number of faults {@code -Dpel.chaos.faults};
 * a failure names the seed to replay it with. Partitions need iptables ({@link JvmCluster#whyNoPartitions()});
 * without it the run skips, saying why.
 */
class ChaosTest {

  static final long SEED = Long.getLong("pel.chaos.seed", 20261203L);
  static final int FAULTS = Integer.getInteger("pel.chaos.faults", 6);
  static final Duration CALL = Duration.ofSeconds(30);
  static final Duration SETTLE = Duration.ofSeconds(90);
  /** The job's tasks and each one's time (parked, not spinning): long enough that the faults find it running. */
  static final int JOB_TASKS = 10_000;
  static final long JOB_MICROS = 5_000;
  /**
   * Each stream task's time (parked): 2 ms keeps the ten routees' rate near 5,000 tasks/s, so that the
   * stream leaves the two cores room for five JVMs' heartbeats. With 200 µs tasks the stream took both cores,
   * heartbeats ran late under a loaded machine, and the split-brain resolver, seeing the membership flap,
   * downed every node (its down-all-when-unstable), node 1 and its callers' futures with them.
   */
  static final long MICROS = 2_000;

  /** The decision in the split-brain resolver's line {@code SBR took decision X and is downing [a, b], ...}. */
  private static final Pattern DECISION = Pattern.compile("SBR took decision (\\w+)");
  /** Nodes {@link #settle} restarted. */
  private static final AtomicInteger RESTARTS = new AtomicInteger();

  @TempDir Path dir;

  @Test
  void underKillsPausesAndPartitionsEveryAcceptedTaskYieldsExactlyOneResult() throws Exception {
    assumeTrue(JvmCluster.whyNoPartitions().isEmpty(), () -> "the chaos run needs partitions: " + JvmCluster.whyNoPartitions().get());
    System.out.println("ChaosTest: seed " + SEED + ", " + FAULTS + " faults (replay with -Dpel.chaos.seed=" + SEED + ")");
    Optional<PostgresStore> postgres = PostgresStore.tryCreate();
    Server h2 = postgres.isPresent() ? null
        : Server.createTcpServer("-tcpPort", Integer.toString(JobsClusterTest.freePort()), "-baseDir", dir.resolve("h2").toString(), "-ifNotExists").start();
    JvmClusterBuilder builder = JvmCluster.builder(ClusterTestNode.class).nodes(5).ownAddresses()
        .property("pel.workers-per-node", "2")
        .property("cluster-test.jobs", "true")
        .property("pel.data-dir", dir.resolve("data").toString())
        .startTimeout(Duration.ofSeconds(120));
    if (postgres.isPresent()) {
      builder.property("pel.jobs.store", "postgresql").property("pel.jobs.url", postgres.get().url())
          .property("pel.jobs.user", postgres.get().user()).property("pel.jobs.password", postgres.get().password());
    } else {
      builder.property("pel.jobs.url", "jdbc:h2:tcp://127.0.0.1:" + h2.getPort() + "/pel-jobs");
    }
    List<String> faults = new ArrayList<>();
    long started = System.nanoTime();
    try (JvmCluster cluster = builder.start()) {
      JvmNode submitter = cluster.node(1);
      submitter.call("stream chaos " + MICROS, CALL);
      Map<String, String> job = submitter.callFields("job chaos-job " + JOB_TASKS + " " + JOB_MICROS, CALL);
      faults.add("job accepted on " + job.get("node"));
      SplittableRandom random = new SplittableRandom(SEED);
      long recoveredMillisMax = 0;
      for (int f = 1; f <= FAULTS; f++) {
        String fault = inject(cluster, random);
        long healed = System.nanoTime();
        settle(cluster);
        long recovered = (System.nanoTime() - healed) / 1_000_000;
        recoveredMillisMax = Math.max(recoveredMillisMax, recovered);
        faults.add("fault " + f + ": " + fault + "; five members Up again " + recovered + " ms after it ended");
        System.out.println("ChaosTest: " + faults.get(faults.size() - 1));
      }
      long submitted = Long.parseLong(submitter.call("stop chaos", CALL));
      Map<String, String> stream = submitter.callFields("await chaos 180", Duration.ofSeconds(200));
      Map<String, String> jobDone = submitter.callFields("job-results chaos-job 180", Duration.ofSeconds(200));
      List<String> decisions = new ArrayList<>();
      for (JvmNode node : cluster.nodes()) decisions.addAll(lines(node, "SBR took decision"));
      Set<String> kinds = new TreeSet<>();
      for (String line : decisions) {
        Matcher m = DECISION.matcher(line);
        if (m.find()) kinds.add(m.group(1));
      }
      String figures = "seed " + SEED + ": stream tasks in " + submitted + ", results out " + stream.get("results")
          + " (deliveries " + stream.get("deliveries") + ", failures " + stream.get("failures") + "), duplicates dropped "
          + stream.get("duplicatesDropped") + ", re-dispatched " + stream.get("redispatched") + ", retries " + stream.get("retries")
          + "; job " + jobDone + "; split-brain resolver: " + decisions.size() + " decision lines logged on the nodes, of kinds " + kinds
          + "; nodes restarted after a kill or a downing " + RESTARTS.get() + "; longest recovery " + recoveredMillisMax
          + " ms; run " + (System.nanoTime() - started) / 1_000_000_000 + " s\n  " + String.join("\n  ", faults);
      System.out.println("ChaosTest: " + figures);
      String replay = " (replay with -Dpel.chaos.seed=" + SEED + "): " + figures;
      assertEquals(Long.toString(submitted), stream.get("results"), "every accepted task has a result" + replay);
      assertEquals(Long.toString(submitted), stream.get("deliveries"), "each exactly once" + replay);
      assertEquals("0", stream.get("failures"), "no task failed" + replay);
      assertEquals(Long.toString(ClusterTest.checksum((int) submitted)), stream.get("checksum"), "and each result is right" + replay);
      assertEquals(Integer.toString(JOB_TASKS), jobDone.get("results"), "the job has every outcome" + replay);
      assertEquals(Integer.toString(JOB_TASKS), jobDone.get("right"), "each right, exactly once" + replay);
      assertEquals("COMPLETED", jobDone.get("state"), replay);
    } finally {
      if (h2 != null) h2.stop();
    }
  }

  /** Draws and injects one fault of nodes 2 to 5 and ends it; says what it was. */
  private static String inject(JvmCluster cluster, SplittableRandom random) throws InterruptedException {
    List<JvmNode> others = new ArrayList<>(cluster.nodes().subList(1, cluster.size()));
    JvmNode victim = others.get(random.nextInt(others.size()));
    switch (random.nextInt(3)) {
      case 0 -> {
        victim.kill();
        return "kill node " + victim.index();
      }
      case 1 -> {
        long millis = 1000 + random.nextInt(7000);
        victim.pause();
        Thread.sleep(millis); // the fault's length, drawn from the seed: what is tested is what follows
        victim.resume();
        return "pause node " + victim.index() + " for " + millis + " ms";
      }
      default -> {
        int size = 1 + random.nextInt(2);
        List<JvmNode> minority = new ArrayList<>();
        while (minority.size() < size) {
          JvmNode n = others.get(random.nextInt(others.size()));
          if (!minority.contains(n)) minority.add(n);
        }
        List<JvmNode> majority = cluster.nodes().stream().filter(n -> !minority.contains(n)).toList();
        long millis = 4000 + random.nextInt(6000);
        cluster.partition(minority, majority);
        Thread.sleep(millis);
        cluster.heal();
        return "partition nodes " + minority.stream().map(n -> Integer.toString(n.index())).toList() + " from the rest for " + millis + " ms";
      }
    }
  }

  /** Until all five nodes run and see each other Up: a node that was downed (and exited) or killed restarts. */
  private static void settle(JvmCluster cluster) {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    JvmClusterException last = null;
    while (System.nanoTime() < deadline) {
      try {
        for (JvmNode node : cluster.nodes()) {
          if (!node.isAlive()) {
            RESTARTS.incrementAndGet();
            node.restart();
          }
        }
        cluster.awaitMembersUp(Duration.ofSeconds(20));
        if (cluster.nodes().stream().allMatch(JvmNode::isAlive)) return;
      } catch (JvmClusterException | AssertionError | IllegalStateException e) {
        last = e instanceof JvmClusterException j ? j : new JvmClusterException(e.getMessage(), e);
      }
    }
    throw new AssertionError("the cluster did not come back to five members within " + SETTLE + " (seed " + SEED + ")", last);
  }

  /** The lines of every run of {@code node} so far that contain {@code text}. */
  private static List<String> lines(JvmNode node, String text) {
    try {
      return Files.readAllLines(node.logFile()).stream().filter(line -> line.contains(text)).toList();
    } catch (IOException e) {
      return List.of("(log unreadable: " + e + ")");
    }
  }
}
