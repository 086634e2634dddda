package io.pel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The faults the test kit injects besides a kill: a paused node (SIGSTOP) and a network partition between
 * nodes on their own loopback addresses. The split-brain resolver waits 30 s here, so that what the test
 * watches is the failure detectors' verdict (unreachable, then reachable again) and not a downing.
 */
class FaultsTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @RegisterExtension
  static final PelClusterExtension cluster = PelClusterExtension.of(JvmCluster.builder(EchoNode.class).nodes(3)
      .ownAddresses()
      .property("pekko.cluster.split-brain-resolver.stable-after", "30s"));

  @Test
  void aPausedNodeGoesSilentAndComesBackAndAPartitionCutsOnlyBetweenItsSides(JvmCluster nodes) {
    JvmNode first = nodes.node(1);
    JvmNode second = nodes.node(2);
    JvmNode third = nodes.node(3);
    assertEquals(List.of("127.0.0.11", "127.0.0.12", "127.0.0.13"), nodes.nodes().stream().map(JvmNode::host).toList());
    assertTrue(third.address().contains("@127.0.0.13:"), third.address());

    third.pause();
    assertTrue(third.isPaused());
    assertThrows(JvmClusterException.class, () -> third.call("echo hi", Duration.ofSeconds(2)), "a paused node answers nothing");
    first.awaitLine(marked("UNREACHABLE", third), TIMEOUT);
    third.resume();
    assertFalse(third.isPaused());
    first.awaitLine(marked("REACHABLE", third), TIMEOUT);
    assertEquals("hi", third.call("echo hi", TIMEOUT), "it goes on where it stopped");

    assumeTrue(JvmCluster.whyNoPartitions().isEmpty(), () -> "no partitions on this machine: " + JvmCluster.whyNoPartitions().get());
    nodes.partition(List.of(first), List.of(second, third));
    second.awaitLine(marked("UNREACHABLE", first), TIMEOUT);
    first.awaitLine(marked("UNREACHABLE", second), TIMEOUT);
    assertEquals("hi", second.call("echo hi", TIMEOUT), "a node cut off from some still runs");
    nodes.heal();
    second.awaitLine(marked("REACHABLE", first), TIMEOUT);
    nodes.awaitMembersUp(TIMEOUT);
  }

  /** Pekko's line when a node's failure detector marks {@code node} (not) reachable. */
  private static Pattern marked(String verdict, JvmNode node) {
    return Pattern.compile("Marking node\\(?s?\\)? as " + verdict + " .*" + Pattern.quote(node.host() + ":" + node.port()));
  }
}
