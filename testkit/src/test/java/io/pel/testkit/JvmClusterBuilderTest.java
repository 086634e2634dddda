package io.pel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class JvmClusterBuilderTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static void assertRejected(Class<? extends Exception> type, String message, Executable call) {
    Exception e = assertThrows(type, call);
    assertTrue(e.getMessage().contains(message), "'" + e.getMessage() + "' should contain '" + message + "'");
  }

  private static long runningChildren() {
    return ProcessHandle.current().children().filter(ProcessHandle::isAlive).count();
  }

  @Test
  void badSettingsFailAtOnceNamingTheProblem() {
    assertRejected(NullPointerException.class, "mainClass", () -> JvmCluster.builder(null));
    assertRejected(IllegalArgumentException.class, "java.lang.String declares no main(String[]) method",
        () -> JvmCluster.builder(String.class));
    assertRejected(IllegalArgumentException.class, "io.pel.testkit.NotANode.main(String[]) must be static",
        () -> JvmCluster.builder(NotANode.class));

    JvmClusterBuilder builder = JvmCluster.builder(EchoNode.class);
    assertRejected(IllegalArgumentException.class, "nodes must be 1..16, was 0", () -> builder.nodes(0));
    assertRejected(IllegalArgumentException.class, "nodes must be 1..16, was 17", () -> builder.nodes(17));
    assertRejected(IllegalArgumentException.class, "node must be 1..16 (nodes count from 1), was 0",
        () -> builder.nodeProperty(0, "a", "b"));
    assertRejected(IllegalArgumentException.class, "pel.node.port is set by the testkit for each node (PEL_PORT)",
        () -> builder.property("pel.node.port", "2552"));
    assertRejected(IllegalArgumentException.class, "use roles(node, ...)", () -> builder.nodeProperty(1, "pel.node.roles", "a"));
    assertRejected(IllegalArgumentException.class, "PEL_SEED_NODES is set by the testkit", () -> builder.env("PEL_SEED_NODES", "x:1"));
    assertRejected(IllegalArgumentException.class, "has no '='", () -> builder.property("a=b", "c"));
    assertRejected(IllegalArgumentException.class, "a role is a word without ',' or whitespace, was 'a,b'", () -> builder.roles(1, "a,b"));
    assertRejected(IllegalArgumentException.class, "startTimeout must be positive, was PT0S", () -> builder.startTimeout(Duration.ZERO));
    assertRejected(NullPointerException.class, "value", () -> builder.property("a", null));

    assertRejected(IllegalArgumentException.class, "mainClass must be a binary class name such as com.example.Main, was 'no main'",
        () -> JvmCluster.builder("no main", List.of(Path.of("a.jar"))));
    assertRejected(IllegalArgumentException.class, "classPath must name at least one jar or directory",
        () -> JvmCluster.builder("a.Main", List.of()));
  }

  /** The test's class path, as entries. */
  private static List<Path> testClassPath() {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return Arrays.stream(classpath.split(File.pathSeparator)).map(Path::of).toList();
  }

  @Test
  void aMainClassOfAnotherClassPathRunsFromThatClassPath() {
    List<Path> classPath = testClassPath();
    try (JvmCluster cluster = JvmCluster.builder(EchoNode.class.getName(), classPath).nodes(1).start()) {
      JvmNode node = cluster.node(1);
      assertEquals("hi", node.call("echo hi", TIMEOUT));
      String joined = String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList());
      assertTrue(node.call("property java.class.path", TIMEOUT).startsWith(joined + File.pathSeparator),
          "the given class path, then the testkit's classes");
    }
    assertEquals(0, runningChildren());
  }

  @Test
  void aMainClassMissingFromItsClassPathMakesTheNodeExitWith2NamingIt() {
    try (JvmCluster cluster = JvmCluster.builder("io.pel.testkit.NoSuchMain", testClassPath()).nodes(1).awaitUp(false).start()) {
      JvmNode node = cluster.node(1);
      assertEquals(2, node.awaitExit(TIMEOUT));
      assertTrue(node.awaitLine("cannot run", TIMEOUT).contains("io.pel.testkit.NoSuchMain"));
    }
  }

  @Test
  void aPerNodeSettingBeyondTheLastNodeFailsTheStartBeforeAnyJvmStarts() {
    JvmClusterBuilder builder = JvmCluster.builder(EchoNode.class).nodes(3).nodeEnv(5, "A", "b");
    assertRejected(IllegalArgumentException.class, "nodeEnv was given for node 5, but the cluster has 3 nodes", builder::start);
    assertEquals(0, runningChildren());
  }

  @Test
  void aNodeThatExitsDuringStartFailsTheStartNamingItAndNoNodeIsLeft() {
    JvmClusterBuilder builder = JvmCluster.builder(EchoNode.class).nodes(2).nodeProperty(2, "pel.workers-per-node", "-5");
    JvmClusterException e = assertThrows(JvmClusterException.class, builder::start);
    assertTrue(e.getMessage().startsWith("start failed: node 2 exited"), e.getMessage());
    assertTrue(e.getMessage().contains("pel.workers-per-node = '-5'"), "shows the end of node 2's log: " + e.getMessage());
    assertEquals(0, runningChildren(), "node 1 was killed too");
  }

  @Test
  void nodesThatDoNotJoinFailTheStartAtTheTimeoutNamingThem() {
    // Node 2 runs another actor system, so node 1 never answers its join.
    JvmClusterBuilder builder = JvmCluster.builder(EchoNode.class).nodes(2)
        .nodeProperty(2, "pel.system-name", "other")
        .startTimeout(Duration.ofSeconds(8));
    JvmClusterException e = assertThrows(JvmClusterException.class, builder::start);
    assertTrue(e.getMessage().startsWith("start failed: nodes 1, 2 did not see all 2 running nodes Up within PT8S"), e.getMessage());
    assertTrue(e.getMessage().contains("pekko://other@127.0.0.1:"), "node 2's address has its system name: " + e.getMessage());
    assertTrue(e.getMessage().contains("sees 1 Up"), e.getMessage());
    assertEquals(0, runningChildren());
  }

  @Test
  void withoutSeedNodesNoNodeIsToldWhereTheOthersAre() throws IOException {
    try (JvmCluster cluster = JvmCluster.builder(EchoNode.class).nodes(2).withoutSeedNodes().awaitUp(false).start()) {
      // With nothing else to find each other by, each node forms a cluster of its own.
      for (JvmNode node : cluster.nodes()) {
        assertEquals(List.of(node.address()), node.awaitMembersUp(1, TIMEOUT));
        String header = Files.readAllLines(node.logFile()).get(0);
        assertTrue(header.contains("PEL_SEED_NODES= (pid"), header);
      }
    }
  }

  @Test
  void withoutAwaitingUpATestCanWatchANodeFail() {
    try (JvmCluster cluster = JvmCluster.builder(EchoNode.class).nodes(1)
        .property("pel.workers-per-node", "-5")
        .awaitUp(false)
        .start()) {
      JvmNode node = cluster.node(1);
      assertEquals(1, node.awaitExit(TIMEOUT), "a main method that throws exits the node with 1");
      assertTrue(node.awaitLine("InvalidSettingException", TIMEOUT).contains("pel.workers-per-node"));
      assertRejected(JvmClusterException.class, "node 1 has exited with code 1", () -> node.call("echo hi", TIMEOUT));
      AssertionError noLine = assertThrows(AssertionError.class, () -> node.awaitLine("never printed", TIMEOUT));
      assertTrue(noLine.getMessage().contains("exited with code 1 without printing a line matching /never printed/"), noLine.getMessage());
    }
  }
}
