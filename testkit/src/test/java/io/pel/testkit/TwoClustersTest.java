package io.pel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TwoClustersTest {

  @Test
  void twoClustersAtOnceGetDistinctPortsAndLogsAndStaySeparate() {
    try (JvmCluster first = JvmCluster.builder(EchoNode.class).nodes(2).start();
        JvmCluster second = JvmCluster.builder(EchoNode.class).nodes(2).start()) {
      Set<Integer> ports = new HashSet<>();
      for (JvmCluster cluster : List.of(first, second)) {
        for (JvmNode node : cluster.nodes()) ports.add(node.port());
      }
      assertEquals(4, ports.size(), "four distinct ports: " + ports);
      assertNotEquals(first.logDirectory(), second.logDirectory());

      for (JvmCluster cluster : List.of(first, second)) {
        List<String> own = cluster.nodes().stream().map(JvmNode::address).sorted().toList();
        for (JvmNode node : cluster.nodes()) {
          assertEquals(own, node.membersUp(), node.toString());
          assertEquals(String.join(",", own), node.call("members", Duration.ofSeconds(20)), node.toString());
        }
      }
    }
  }
}
