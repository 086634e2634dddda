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
 * A block executed across three JVMs, one of them killed while it holds batches: PEL sends its batches
 * elsewhere, and the block still ends in the sequential state, receipt for receipt.
 */
class LedgerClusterTest {

  private static final Duration CALL = Duration.ofSeconds(30);
  private static final Duration RUN = Duration.ofSeconds(150);

  @RegisterExtension
  static final PelClusterExtension cluster = PelClusterExtension.of(
      JvmCluster.builder(LedgerClusterNode.class).nodes(3).property("pel.workers-per-node", "2")
          .property("ledger-test.batch-micros", "3000"));

  @Test
  void nodeThreeKilledMidBlockStillEndsInTheSequentialState(JvmCluster nodes) {
    JvmNode submitter = nodes.node(1);
    JvmNode victim = nodes.node(3);
    submitter.call("routees 6", CALL);
    submitter.call("run 500 12000 42 8", CALL);
    victim.awaitLine("ledger-node executed " + LedgerClusterNode.MILESTONE + " batches", RUN);
    victim.kill();

    Map<String, String> result = submitter.callFields("await 140", RUN);
    assertEquals("yes", result.get("identical"), "parallel run across the cluster: " + result);
    assertEquals(result.get("sequential"), result.get("state"));
    assertTrue(Long.parseLong(result.get("redispatched")) > 0, "node 3's batches in flight were sent elsewhere: " + result);
  }
}
