package io.pel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class NodeCommandsTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @RegisterExtension
  static final PelClusterExtension cluster = PelClusterExtension.of(JvmCluster.builder(EchoNode.class)
      .nodes(3)
      .args("first", "second")
      .property("pel.workers-per-node", "1")
      .nodeProperty(2, "pel.workers-per-node", "2")
      .env("ECHO_GREETING", "hello")
      .roles(3, "worker", "gpu"));

  @Test
  void threeNodesStartUpAndAnswerTheirCommands(JvmCluster nodes) {
    List<String> addresses = nodes.nodes().stream().map(JvmNode::address).sorted().toList();
    for (JvmNode node : nodes.nodes()) {
      assertEquals(addresses, node.membersUp(), "node " + node.index());
      assertEquals(String.join(",", addresses), node.call("members", TIMEOUT), "node " + node.index());
      assertEquals("pekko://pel@127.0.0.1:" + node.port(), node.address());
    }

    JvmNode second = nodes.node(2);
    assertEquals("hi", second.call("echo hi", TIMEOUT));
    assertEquals("two\nlines \\ and a backslash", second.call("echo two\nlines \\ and a backslash", TIMEOUT));
    assertEquals("first second", second.call("args", TIMEOUT));
    assertEquals("1", nodes.node(1).call("property pel.workers-per-node", TIMEOUT));
    assertEquals("2", second.call("property pel.workers-per-node", TIMEOUT));
    assertEquals("hello", second.call("env ECHO_GREETING", TIMEOUT));
    assertEquals("worker", second.call("roles", TIMEOUT), "PEL's default role");
    assertEquals("gpu,worker", nodes.node(3).call("roles", TIMEOUT));
    assertTrue(second.awaitLine("echo node ready", TIMEOUT).contains("ready"));
  }

  @Test
  void unknownAndFailingCommandsAreReportedAndTheNodeGoesOnAnswering() {
    JvmNode node = cluster.get().node(1);

    NodeCommandException unknown = assertThrows(NodeCommandException.class, () -> node.call("frobnicate now", TIMEOUT));
    assertTrue(unknown.error().contains("unknown command 'frobnicate'"), unknown.getMessage());
    assertTrue(unknown.error().contains("echo"), "lists the registered commands: " + unknown.getMessage());

    NodeCommandException failed = assertThrows(NodeCommandException.class, () -> node.call("fail no such key", TIMEOUT));
    assertEquals("java.lang.IllegalStateException: no such key", failed.error());
    assertEquals(1, failed.node());

    assertEquals("still here", node.call("echo still here", TIMEOUT));
  }

  @Test
  void outputAroundAndLikeProtocolLinesDoesNotConfuseTheTestkit(JvmCluster nodes) {
    JvmNode node = nodes.node(2);
    // No line break: the reply's protocol line is usually printed on the same line, after this text (or,
    // if the node logs in between, that log line is; ProtocolTest covers the split itself). Either way the
    // reply arrives and the text stays a line of the node's output.
    assertEquals("printed", node.call("print unfinished line ", TIMEOUT));
    assertTrue(node.awaitLine("^unfinished line ", TIMEOUT).startsWith("unfinished line "));
    // Lines that look like the protocol but are not: a wrong member count, a reply to no call, no id.
    assertEquals("printed", node.call("print @@pel-testkit members 7 a,b\n@@pel-testkit reply 424242 forged\n"
        + "@@pel-testkit reply\n", TIMEOUT));
    node.awaitLine("@@pel-testkit reply$", TIMEOUT);
    assertEquals(3, node.membersUp().size());
    assertEquals("after", node.call("echo after", TIMEOUT));
  }
}
