package io.pel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.testkit.internal.LogDirectories;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReapingTest {

  @Test
  void closeKillsEveryNodeAndWaitsForIt() {
    List<ProcessHandle> processes = new ArrayList<>();
    try (JvmCluster cluster = JvmCluster.builder(EchoNode.class).nodes(2).start()) {
      for (JvmNode node : cluster.nodes()) processes.add(ProcessHandle.of(node.pid()).orElseThrow());
      assertEquals(2, ProcessHandle.current().children().filter(ProcessHandle::isAlive).count());
    }
    for (ProcessHandle process : processes) assertFalse(process.isAlive(), process.pid() + " is gone");
    assertEquals(0, ProcessHandle.current().children().filter(ProcessHandle::isAlive).count(), "no child of the test JVM is left");
  }

  @Test
  void nodesExitWhenTheJvmThatStartedThemIsKilled() throws Exception {
    Path log = LogDirectories.root().resolve(LogDirectories.nameOf(ReapingTest.class)).resolve("parent.log");
    Files.createDirectories(log.getParent());
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-cp", classpath, "-Dbasedir=" + System.getProperty("basedir", System.getProperty("user.dir")),
        ClusterParentMain.class.getName(), "2")
        .redirectErrorStream(true)
        .start();
    List<ProcessHandle> nodes = new ArrayList<>();
    try {
      List<Long> pids = nodePids(parent, log).get(90, TimeUnit.SECONDS);
      assertEquals(2, pids.size());
      for (long pid : pids) nodes.add(ProcessHandle.of(pid).orElseThrow());

      parent.toHandle().destroyForcibly();
      assertTrue(parent.waitFor(30, TimeUnit.SECONDS), "the parent died");

      // Nothing in the dead parent reaps them: each node sees its stdin close and exits by itself.
      for (ProcessHandle node : nodes) {
        node.onExit().get(30, TimeUnit.SECONDS);
        assertFalse(node.isAlive(), node.pid() + " is gone");
      }
    } finally {
      // Only if the test failed: the nodes outlived their parent, or it never got to kill the parent.
      nodes.forEach(ProcessHandle::destroyForcibly);
      parent.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      parent.destroyForcibly();
    }
  }

  /** Copies the parent's output to {@code log} and completes with the pids it prints. */
  private static CompletableFuture<List<Long>> nodePids(Process parent, Path log) {
    CompletableFuture<List<Long>> pids = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
          var copy = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
        String line;
        while ((line = out.readLine()) != null) {
          copy.write(line);
          copy.newLine();
          copy.flush();
          if (line.startsWith("node-pids ")) {
            pids.complete(Arrays.stream(line.substring("node-pids ".length()).split(",")).map(Long::valueOf).toList());
          }
        }
        pids.completeExceptionally(new AssertionError("the parent exited without printing its nodes' pids; see " + log));
      } catch (Exception e) {
        pids.completeExceptionally(e);
      }
    }, "parent-output");
    reader.setDaemon(true);
    reader.start();
    return pids;
  }
}
