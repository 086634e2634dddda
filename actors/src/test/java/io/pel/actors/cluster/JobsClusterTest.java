package io.pel.actors.cluster;

import static io.pel.actors.cluster.JobsCrashTest.awaitStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.actors.PostgresStore;
import io.pel.testkit.JvmCluster;
import io.pel.testkit.JvmClusterBuilder;
import io.pel.testkit.JvmNode;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpointed jobs in a cluster: the job's coordinators are sharded over three JVMs and journal into one
 * shared store: PostgreSQL where a server answers (see {@link PostgresStore}), else an H2 server this test
 * runs. Killing the node that runs a job moves the job to another, which finishes it.
 */
class JobsClusterTest {

  static final Duration CALL = Duration.ofSeconds(30);
  static final int TASKS = 400;
  static final int IN_FLIGHT = 8;

  @TempDir Path dir;

  @Test
  void aJobWhoseNodeIsKilledCompletesOnAnotherWithEveryResultExactlyOnce() throws Exception {
    Path runs = dir.resolve("runs.log");
    Optional<PostgresStore> postgres = PostgresStore.tryCreate();
    Server h2 = postgres.isPresent() ? null
        : Server.createTcpServer("-tcpPort", Integer.toString(freePort()), "-baseDir", dir.resolve("h2").toString(), "-ifNotExists").start();
    JvmClusterBuilder builder = JvmCluster.builder(JobsTestNode.class).nodes(3);
    if (postgres.isPresent()) {
      System.out.println("JobsClusterTest: shared job store PostgreSQL " + postgres.get().url());
      builder.property("pel.jobs.store", "postgresql").property("pel.jobs.url", postgres.get().url())
          .property("pel.jobs.user", postgres.get().user()).property("pel.jobs.password", postgres.get().password());
    } else {
      System.out.println("JobsClusterTest: shared job store an H2 server on port " + h2.getPort());
      builder.property("pel.jobs.url", "jdbc:h2:tcp://127.0.0.1:" + h2.getPort() + "/pel-jobs");
    }
    try (JvmCluster cluster = builder
        .property("pel.workers-per-node", "2")
        .property("pel.jobs.max-in-flight-per-job", Integer.toString(IN_FLIGHT))
        .property("pel.data-dir", dir.resolve("data").toString())
        .property("jobs-test.runs-file", runs.toString())
        .start()) {
      Map<String, String> accepted = cluster.node(1).callFields("submit moving " + TASKS + " 25", CALL);
      JvmNode host = nodeAt(cluster, accepted.get("node"));
      awaitStatus(cluster.node(1), "moving", s -> Integer.parseInt(s.get("completed")) >= TASKS / 4);
      host.kill();
      JvmNode survivor = cluster.nodes().stream().filter(n -> n != host).findFirst().orElseThrow();

      assertEquals(Map.of("results", Integer.toString(TASKS), "right", Integer.toString(TASKS)),
          survivor.callFields("results moving 150", Duration.ofSeconds(180)));
      Map<String, String> done = survivor.callFields("status moving", CALL);
      assertEquals("COMPLETED", done.get("state"));
      assertNotEquals(accepted.get("node"), done.get("node"), "the job finished on another node");

      Map<Integer, Integer> timesRun = new HashMap<>();
      for (Set<Integer> tasks : JobsCrashTest.runsByProcess(runs).values()) for (int t : tasks) timesRun.merge(t, 1, Integer::sum);
      assertEquals(TASKS, timesRun.size(), "every task ran");
      long again = timesRun.values().stream().filter(n -> n > 1).count();
      assertTrue(again <= IN_FLIGHT, again + " tasks ran in two processes; only those in flight at the kill may: " + timesRun);
    } finally {
      if (h2 != null) h2.stop();
      if (postgres.isPresent()) postgres.get().close();
    }
  }

  private static JvmNode nodeAt(JvmCluster cluster, String address) {
    List<JvmNode> nodes = cluster.nodes();
    return nodes.stream().filter(n -> n.address().equals(address)).findFirst()
        .orElseThrow(() -> new AssertionError(address + " is none of " + nodes.stream().map(JvmNode::address).toList()));
  }

  static int freePort() throws java.io.IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
