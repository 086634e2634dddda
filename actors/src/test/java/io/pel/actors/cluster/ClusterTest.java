package io.pel.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.testkit.JvmCluster;
import io.pel.testkit.JvmNode;
import io.pel.testkit.PelClusterExtension;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PEL across real JVMs: three nodes, each with two routees, started fresh for every test by the test kit.
 * Node 1 submits; every result names the node that ran it. These tests start JVMs and take seconds each,
 * so there are few of them and each proves a whole behaviour.
 */
class ClusterTest {

  private static final Duration CALL = Duration.ofSeconds(30);
  private static final Duration RUN = Duration.ofSeconds(150);

  @RegisterExtension
  static final PelClusterExtension cluster = PelClusterExtension.of(
      JvmCluster.builder(ClusterTestNode.class).nodes(3).property("pel.workers-per-node", "2")
          .property("pel.speculation.floor", "100ms").nodeProperty(3, "cluster-test.slow", "true"));

  @Test
  void thirtyThousandTasksSubmittedOnNodeOneRunOnAllThreeWithAnExactChecksum(JvmCluster nodes) {
    JvmNode submitter = nodes.node(1);
    submitter.call("routees 6", CALL);
    submitter.call("run r 30000 0", CALL);
    Map<String, String> run = submitter.callFields("await r 120", RUN);

    assertEveryTaskDeliveredOnce(run, 30_000);
    Map<String, Integer> perNode = perNode(run);
    for (JvmNode node : nodes.nodes()) {
      assertTrue(perNode.getOrDefault(node.address(), 0) > 0, node.address() + " ran none: " + perNode);
    }
  }

  @Test
  void aStragglerOnASlowNodeGetsItsDuplicateOnAnotherNodeAndEachTaskOneResult(JvmCluster nodes) {
    JvmNode submitter = nodes.node(1);
    JvmNode slow = nodes.node(3);
    submitter.call("routees 6", CALL);
    Map<String, String> run = submitter.callFields("straggle 600 " + slow.address(), RUN);
    assertEquals("600", run.get("results"));
    assertEquals("600", run.get("right"), "every task's one result is its own: " + run);
    assertTrue(Long.parseLong(run.get("launches")) > 0 && Long.parseLong(run.get("wins")) > 0, "speculation ran and won: " + run);

    Map<String, String> onSlow = slow.callFields("started", CALL);
    assertEquals("0", onSlow.get("startedTwice"), "a duplicate never goes to the node its original runs on: " + onSlow);
    List<String> startedOnSlow = Arrays.asList(onSlow.get("indices").split(","));
    List<String> resultElsewhere = Arrays.asList(run.get("elsewhere").split(","));
    long rescued = startedOnSlow.stream().filter(resultElsewhere::contains).count();
    assertTrue(rescued > 0, "tasks started on the slow node and finished by a duplicate on another: " + rescued
        + " of " + startedOnSlow.size() + "; " + run.get("launches") + " launches, " + run.get("wins") + " wins");
  }

  @Test
  void nodeThreeKilledMidRunLosesNoTaskAndDeliversNoneTwice(JvmCluster nodes) {
    JvmNode submitter = nodes.node(1);
    JvmNode victim = nodes.node(3);
    submitter.call("routees 6", CALL);
    submitter.call("run r 100000 200", CALL);
    victim.awaitLine("cluster-test-node executed " + ClusterTestNode.MILESTONE + " tasks", RUN);
    victim.kill();

    Map<String, String> run = submitter.callFields("await r 120", RUN);
    assertEveryTaskDeliveredOnce(run, 100_000);
    assertTrue(Long.parseLong(run.get("redispatched")) > 0, "node 3's tasks in flight were re-dispatched: " + run);
  }

  @Test
  void nodeTwoStoppedMidRunFinishesItsTasksFirstAndOnlyItsKeysMove(JvmCluster nodes) {
    JvmNode submitter = nodes.node(1);
    JvmNode leaver = nodes.node(2);
    submitter.call("routees 6", CALL);
    List<String> before = keys(submitter, 600);
    submitter.call("run r 60000 200", CALL);
    leaver.awaitLine("cluster-test-node executed " + ClusterTestNode.MILESTONE + " tasks", RUN);

    assertEquals(143, leaver.stop(), "SIGTERM ends the JVM with 143, once the shutdown (and its drain) is done");
    leaver.awaitLine("Drained 2 routees", CALL);
    Map<String, String> run = submitter.callFields("await r 120", RUN);
    assertEveryTaskDeliveredOnce(run, 60_000);
    for (String counter : List.of("redispatched", "retries", "duplicatesDropped")) {
      assertEquals("0", run.get(counter), "nothing re-run: " + run);
    }
    long ranOnLeaver = executedAtExit(leaver);
    assertEquals(perNode(run).get(leaver.address()).longValue(), ranOnLeaver, "every task node 2 ran was delivered");
    long ranElsewhere = Long.parseLong(submitter.call("executed", CALL)) + Long.parseLong(nodes.node(3).call("executed", CALL));
    assertEquals(60_000, ranOnLeaver + ranElsewhere, "each task ran exactly once across the cluster");

    submitter.call("routees 4", CALL);
    List<String> after = keys(submitter, 600);
    int moved = 0;
    for (int k = 0; k < before.size(); k++) {
      boolean wasOnLeaver = before.get(k).equals(leaver.address());
      if (!before.get(k).equals(after.get(k))) moved++;
      assertEquals(wasOnLeaver, !before.get(k).equals(after.get(k)), "key k" + k + " moves exactly when its node left");
    }
    assertTrue(moved > 600 * 0.2 && moved < 600 * 0.47, "about 1/3 of the keys move, moved " + moved);
  }

  @Test
  void aKilledNodeRestartedAtTheSameAddressRejoinsTakesBackItsKeysAndRunsWork(JvmCluster nodes) {
    JvmNode submitter = nodes.node(1);
    JvmNode node3 = nodes.node(3);
    submitter.call("routees 6", CALL);
    List<String> before = keys(submitter, 600);
    String address = node3.address();

    node3.kill();
    nodes.awaitMembersUp(Duration.ofSeconds(60));
    submitter.call("routees 4", CALL);
    List<String> without = keys(submitter, 600);
    node3.restart();
    assertEquals(address, node3.address());
    submitter.call("routees 6", CALL);
    List<String> rejoined = keys(submitter, 600);

    long movedOff = count(before, without);
    assertEquals(before.stream().filter(address::equals).count(), movedOff, "only node 3's keys moved off it");
    assertEquals(before, rejoined, "node 3's keys came back to it, and no others moved");
    submitter.call("run r 9000 0", CALL);
    Map<String, String> run = submitter.callFields("await r 120", RUN);
    assertEveryTaskDeliveredOnce(run, 9_000);
    assertTrue(perNode(run).getOrDefault(address, 0) > 0, "the restarted node runs work: " + run);
  }

  /** Each of the n tasks delivered one result, none failed, and the results add up. */
  private static void assertEveryTaskDeliveredOnce(Map<String, String> run, int n) {
    assertEquals(Integer.toString(n), run.get("results"), "a result for every task: " + run);
    assertEquals(Integer.toString(n), run.get("deliveries"), "one delivery per task: " + run);
    assertEquals("0", run.get("failures"), run.toString());
    assertEquals(Long.toString(checksum(n)), run.get("checksum"), run.toString());
  }

  static long checksum(int n) {
    long sum = 0;
    for (long i = 0; i < n; i++) sum += ClusterTestNode.mix(i);
    return sum;
  }

  /** The {@code nodes} field: address=count,... */
  static Map<String, Integer> perNode(Map<String, String> run) {
    Map<String, Integer> counts = new HashMap<>();
    for (String entry : run.get("nodes").split(",")) {
      int eq = entry.lastIndexOf('=');
      counts.put(entry.substring(0, eq), Integer.parseInt(entry.substring(eq + 1)));
    }
    return counts;
  }

  private static List<String> keys(JvmNode node, int n) {
    return Arrays.asList(node.call("keys " + n, CALL).split(" "));
  }

  private static long count(List<String> a, List<String> b) {
    long differ = 0;
    for (int i = 0; i < a.size(); i++) if (!a.get(i).equals(b.get(i))) differ++;
    return differ;
  }

  /** The count a stopped node printed as it shut down. */
  private static long executedAtExit(JvmNode node) {
    Matcher m = Pattern.compile("cluster-test-node executed=(\\d+)").matcher(node.awaitLine("cluster-test-node executed=\\d+", CALL));
    assertTrue(m.find());
    return Long.parseLong(m.group(1));
  }
}
