package io.pel.samples.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.testkit.JvmCluster;
import io.pel.testkit.JvmNode;
import io.pel.testkit.PelClusterExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A block executed across three JVMs, one of which goes silent with batches in hand and is killed: PEL
 * sends those batches elsewhere, and the block still ends in the sequential state, receipt for receipt.
 * (The block cannot finish without them, so the kill always lands mid-block.)
 */
class LedgerClusterTest {

  private static final Duration CALL = Duration.ofSeconds(30);
  private static final Duration RUN = Duration.ofSeconds(150);

  @RegisterExtension
  static final PelClusterExtension cluster = PelClusterExtension.of(
      JvmCluster.builder(LedgerClusterNode.class).nodes(3).property("pel.workers-per-node", "2")
          .property("ledger-test.batch-micros", "1000").nodeProperty(3, "ledger-test.hold", "true"));

  @Test
  void nodeThreeKilledMidBlockStillEndsInTheSequentialState(JvmCluster nodes) {
    JvmNode submitter = nodes.node(1);
    JvmNode victim = nodes.node(3);
    submitter.call("routees 6", CALL);
    submitter.call("run 500 12000 42 8", CALL);
    victim.awaitLine("ledger-node holding batches", RUN);
    victim.kill();

    Map<String, String> result = submitter.callFields("await 140", RUN);
    assertEquals("yes", result.get("identical"), "parallel run across the cluster: " + result);
    assertEquals(result.get("sequential"), result.get("state"));
    long rerun = Long.parseLong(result.get("redispatched")) + Long.parseLong(result.get("speculativeWins"));
    assertTrue(rerun > 0, "node 3's held batches were run elsewhere (re-dispatched, or won by a speculative duplicate): " + result);
  }
}
