package io.pel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class NodeLifecycleTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @RegisterExtension
  static final PelClusterExtension cluster = PelClusterExtension.of(JvmCluster.builder(EchoNode.class).nodes(3));

  @Test
  void aKilledNodeIsDownedRestartsOnItsPortAndAStoppedNodeLeaves(JvmCluster nodes) throws Exception {
    JvmNode first = nodes.node(1);
    JvmNode second = nodes.node(2);
    JvmNode third = nodes.node(3);
    String thirdAddress = third.address();
    long thirdPid = third.pid();

    third.kill();
    assertTrue(ProcessHandle.of(thirdPid).isEmpty(), "the killed process is gone");
    assertThrows(JvmClusterException.class, () -> third.call("echo hi", TIMEOUT));
    // keep-majority: the two reachable nodes down the third once the failure detector and stable-after agree.
    List<String> survivors = List.of(first.address(), second.address()).stream().sorted().toList();
    assertEquals(survivors, first.awaitMembersUp(2, TIMEOUT));
    assertEquals(survivors, second.awaitMembersUp(2, TIMEOUT));

    third.restart();
    assertTrue(third.isAlive());
    assertNotEquals(thirdPid, third.pid());
    assertEquals(thirdAddress, third.address(), "same port");
    for (JvmNode node : nodes.nodes()) assertEquals(3, node.membersUp().size(), node.toString());
    assertEquals("back", third.call("echo back", TIMEOUT));
    assertTrue(Files.readString(third.logFile()).contains("==== restart: node 3 run 2"));

    // SIGTERM runs Pekko's coordinated shutdown through the JVM's shutdown hook: the node leaves the cluster
    // and the JVM ends as a SIGTERMed JVM does, 128 + 15.
    assertEquals(143, second.stop());
    nodes.awaitMembersUp(TIMEOUT);
    assertEquals(List.of(first.address(), third.address()).stream().sorted().toList(), first.membersUp());
    assertTrue(second.lines().stream().anyMatch(line -> line.contains("Exiting completed")), "left gracefully");
  }

  @Test
  void restartingTheFirstNodeJoinsTheRunningClusterAndADownedNodeExits(JvmCluster nodes) {
    JvmNode first = nodes.node(1);
    first.kill();
    nodes.node(2).awaitMembersUp(2, TIMEOUT);

    first.restart();
    for (JvmNode node : nodes.nodes()) assertEquals(3, node.membersUp().size(), node.toString());
    assertThrows(IllegalStateException.class, first::restart, "a running node is not restarted");

    // A downed node runs coordinated shutdown with exit-jvm on; Pekko's exit code for downing is -1.
    first.call("down " + nodes.node(2).address(), TIMEOUT);
    assertEquals(255, nodes.node(2).awaitExit(TIMEOUT));
    nodes.awaitMembersUp(TIMEOUT);
    assertEquals(2, first.membersUp().size());
  }
}
