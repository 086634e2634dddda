package io.pel.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.testkit.JvmCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key stores {@code ./pel tls} makes with keytool (a CA, and a key per node signed by it) are what two
 * nodes need to form a cluster over mutual TLS: a client node with one of them joins a worker node with
 * another and runs its tasks there.
 */
class LauncherKeyStoresTest {

  private static final Path LAUNCHER = Path.of(System.getProperty("basedir", "."), "..", "pel").toAbsolutePath().normalize();
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void twoNodesWithKeyStoresFromTheLauncherFormAClusterAndShareWork(@TempDir Path dir) throws Exception {
    String printed = launcher("tls", dir.toString(), "worker-a", "client-b");
    assertTrue(printed.contains("worker-a.p12") && printed.contains("client-b.p12"), printed);
    assertTrue(Files.isRegularFile(dir.resolve("ca.p12")) && Files.isRegularFile(dir.resolve("trust.p12")), printed);
    assertEquals(printed, launcher("tls", dir.toString(), "worker-a", "client-b"), "a second run keeps what is there");
    String password = Files.readString(dir.resolve("password")).trim();
    try (JvmCluster cluster = JvmCluster.builder(ClusterTestNode.class).nodes(2)
        .property("pel.workers-per-node", "2")
        .property("pel.tls.trust-store", dir.resolve("trust.p12").toString())
        .property("pel.tls.password", password)
        .nodeProperty(1, "pel.tls.key-store", dir.resolve("worker-a.p12").toString())
        .nodeProperty(2, "pel.tls.key-store", dir.resolve("client-b.p12").toString())
        .roles(2, "client")
        .start()) {
      cluster.node(2).call("routees 2", WAIT);
      cluster.node(2).call("run launcher-keys 100 0", WAIT);
      Map<String, String> run = cluster.node(2).callFields("await launcher-keys 60", WAIT);
      assertEquals("100", run.get("results"), run.toString());
      assertEquals(Long.toString(ClusterTest.checksum(100)), run.get("checksum"), run.toString());
    }
  }

  private static String launcher(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("bash", LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = builder.start();
    try {
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the launcher did not finish: " + output);
      assertEquals(0, p.exitValue(), output);
      return output.lines().filter(line -> !line.startsWith("pel: making")).reduce("", (a, b) -> a + b + "\n");
    } finally {
      p.destroyForcibly();
    }
  }
}
