package io.pel.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pel.actors.ExecutionLayer;
import io.pel.actors.TaskType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key stores {@code ./pel tls} makes with keytool (a CA, and a key per node signed by it) are what two
 * nodes need to form a cluster over mutual TLS: a client node with one of them joins a worker node with
 * another and runs its tasks there.
 */
class LauncherKeyStoresTest {

  private static final TaskType<Integer, Integer> TWICE = TaskType.of("launcher-keys-twice", Integer.class, Integer.class);
  private static final Path LAUNCHER = Path.of(System.getProperty("basedir", "."), "..", "pel").toAbsolutePath().normalize();

  @Test
  void twoNodesWithKeyStoresFromTheLauncherFormAClusterAndShareWork(@TempDir Path dir) throws Exception {
    String printed = launcher("tls", dir.toString(), "worker-a", "client-b");
    assertTrue(printed.contains("worker-a.p12") && printed.contains("client-b.p12"), printed);
    assertTrue(Files.isRegularFile(dir.resolve("ca.p12")) && Files.isRegularFile(dir.resolve("trust.p12")), printed);
    assertEquals(printed, launcher("tls", dir.toString(), "worker-a", "client-b"), "a second run keeps what is there");
    String password = Files.readString(dir.resolve("password")).trim();
    try (ExecutionLayer worker = ExecutionLayer.start(ConfigFactory.parseString(tls(dir, "worker-a", password) + "pel.workers-per-node = 2"))) {
      worker.register(TWICE, (i, ctx) -> 2 * i);
      String seed = worker.system().address().toString();
      try (ExecutionLayer client = ExecutionLayer.start(ConfigFactory.parseString(tls(dir, "client-b", password)
          + "pel.node.roles = [client]\npel.node.seed-nodes = [\"" + seed + "\"]"))) {
        client.register(TWICE, (i, ctx) -> 2 * i);
        assertEquals(2, client.awaitRoutees(n -> n == 2).toCompletableFuture().get(60, TimeUnit.SECONDS));
        assertEquals(42, client.submit(TWICE, 21).toCompletableFuture().get(60, TimeUnit.SECONDS));
      }
    }
  }

  private static String tls(Path dir, String name, String password) {
    return "pel.tls.key-store = \"" + dir.resolve(name + ".p12") + "\"\n"
        + "pel.tls.trust-store = \"" + dir.resolve("trust.p12") + "\"\n"
        + "pel.tls.password = \"" + password + "\"\n";
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
