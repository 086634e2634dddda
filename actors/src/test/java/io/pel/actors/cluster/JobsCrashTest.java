package io.pel.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.testkit.JvmCluster;
import io.pel.testkit.JvmNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpointed jobs survive SIGKILL: a real node process is killed mid-job and started again on the same
 * data directory; the job resumes and runs only the tasks that had not completed.
 */
class JobsCrashTest {

  static final Duration CALL = Duration.ofSeconds(30);
  static final int TASKS = 300;
  static final int IN_FLIGHT = 4;

  @TempDir Path dir;

  @Test
  void afterSigkillAndRestartTheJobResumesAndRunsOnlyTheTasksThatHadNotCompleted() throws Exception {
    Path runs = dir.resolve("runs.log");
    try (JvmCluster cluster = JvmCluster.builder(JobsTestNode.class).nodes(1)
        .property("pel.data-dir", dir.resolve("data").toString())
        .property("pel.workers-per-node", "2")
        .property("pel.jobs.max-in-flight-per-job", Integer.toString(IN_FLIGHT))
        .property("jobs-test.runs-file", runs.toString())
        .start()) {
      JvmNode node = cluster.node(1);
      String firstPid = Long.toString(node.pid());
      node.call("submit crash " + TASKS + " 20", CALL);
      int checkpointed = Integer.parseInt(awaitStatus(node, "crash", s -> Integer.parseInt(s.get("completed")) >= TASKS / 4).get("completed"));
      node.kill();
      assertTrue(checkpointed < TASKS, "killed before the end: " + checkpointed + " tasks checkpointed");

      node.restart();
      String secondPid = Long.toString(node.pid());
      node.awaitLine("Job crash: \\d+/" + TASKS + " tasks done \\(\\d+%\\)", Duration.ofSeconds(120)); // a long job logs its progress
      assertEquals(Map.of("results", Integer.toString(TASKS), "right", Integer.toString(TASKS)),
          node.callFields("results crash 120", Duration.ofSeconds(150)));
      assertEquals("COMPLETED", node.callFields("status crash", CALL).get("state"));

      Map<String, Set<Integer>> byPid = runsByProcess(runs);
      Set<Integer> first = byPid.getOrDefault(firstPid, Set.of());
      Set<Integer> second = byPid.getOrDefault(secondPid, Set.of());
      Set<Integer> all = new HashSet<>(first);
      all.addAll(second);
      assertEquals(TASKS, all.size(), "every task ran");
      assertTrue(second.size() <= TASKS - checkpointed,
          "the restarted process ran " + second.size() + " tasks, but " + checkpointed + " of " + TASKS + " were checkpointed");
      Set<Integer> both = new HashSet<>(first);
      both.retainAll(second);
      assertTrue(both.size() <= IN_FLIGHT, "tasks run by both processes (only those in flight at the kill may be): " + both);
      assertTrue(!second.isEmpty(), "the job resumed in the second process");
    }
  }

  static Map<String, String> awaitStatus(JvmNode node, String job, Predicate<Map<String, String>> condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      Map<String, String> status = node.callFields("status " + job, CALL);
      if (condition.test(status)) return status;
      if (System.nanoTime() > deadline) throw new AssertionError("job " + job + " never got there: " + status);
      Thread.sleep(20);
    }
  }

  /** Each process's tasks, from the lines {@code "<pid> <index>"} the handler appends. */
  static Map<String, Set<Integer>> runsByProcess(Path runs) throws IOException {
    Map<String, Set<Integer>> byPid = new HashMap<>();
    List<String> lines = Files.readAllLines(runs);
    for (String line : lines) {
      String[] a = line.split(" ");
      byPid.computeIfAbsent(a[0], k -> new HashSet<>()).add(Integer.parseInt(a[1]));
    }
    return byPid;
  }
}
