package io.pel.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pel.actors.ExecutionLayer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The node main of {@code ./pel start}, run in-process with an environment of the test's. */
class NodeMainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  @TempDir Path dataDir;

  private int run(Map<String, String> environment, String... args) {
    return NodeMain.run(args, environment, print(out), print(err), node -> fail("the node must not start"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "PEL_PORT       | eighty",
      "PEL_PORT       | 65536",
      "PEL_HOST       | not a host",
      "PEL_SEED_NODES | 127.0.0.1",
      "PEL_ROLES      | worker,,client",
      "PEL_HTTP_PORT  | 70000"})
  void aBadEnvironmentVariableExitsWith2AndOneLineNamingIt(String variable, String value) {
    assertEquals(2, run(Map.of(variable, value)));
    String message = text(err);
    assertEquals(1, message.lines().count(), message);
    assertTrue(message.startsWith("pel start: " + variable + " = '") && message.contains("' is not valid: expected "), message);
    assertEquals("", text(out));
  }

  @Test
  void anArgumentIsRefusedAndHelpIsPrinted() {
    assertEquals(2, run(Map.of(), "--port", "25520"));
    assertTrue(text(err).startsWith("pel start: unexpected argument '--port'\nusage: ./pel start"), text(err));
    assertEquals(0, run(Map.of(), "--help"));
    assertTrue(text(out).startsWith("usage: ./pel start"), text(out));
  }

  @Test
  void aNodeRunsTheTasksOfItsModulesAndExitsWith0AfterAGracefulStop() throws Exception {
    CompletableFuture<NodeMain.Node> started = new CompletableFuture<>();
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
        () -> NodeMain.run(new String[0], Map.of("PEL_PORT", "0", "PEL_ROLES", "worker", "PEL_HTTP_PORT", "0", "PEL_DATA_DIR", dataDir.toString()), print(out), print(err), started::complete));
    ExecutionLayer layer = started.get(60, TimeUnit.SECONDS).layer();
    // IncrementModule, on this test class path, registered its handler: 1 + 2 + ... + 1,000.
    List<CompletionStage<Long>> results = new ArrayList<>();
    for (long i = 0; i < 1_000; i++) results.add(layer.submit(IncrementModule.INCREMENT, i));
    long sum = 0;
    for (CompletionStage<Long> result : results) sum += result.toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertEquals(1_000L * 1_001 / 2, sum);
    assertFalse(exit.isDone(), "the node runs until it is stopped");

    layer.close(); // what SIGTERM does, through Pekko's coordinated shutdown
    assertEquals(0, exit.get(60, TimeUnit.SECONDS));
    String printed = text(out);
    assertTrue(printed.startsWith("node started: pekko://pel@127.0.0.1:"), printed);
    assertTrue(printed.contains(", roles [worker], " + layer.settings().workersPerNode() + " routees, seed nodes none (it joins itself)\n"), printed);
    assertTrue(printed.contains("node stopped after leaving the cluster gracefully\n"), printed);
    assertTrue(printed.contains("node totals: routees here ran 1,000 attempts; tasks accepted here 1,000 (1,000 succeeded, 0 failed"), printed);
    assertEquals("", text(err));
  }

  @Test
  void aJobStoreThatCannotBeUsedStopsTheNodeWith1AndSaysWhy() throws Exception {
    Path notADirectory = Files.writeString(dataDir.resolve("a-file"), "not a directory");
    assertEquals(1, run(Map.of("PEL_PORT", "0", "PEL_HTTP_PORT", "0", "PEL_DATA_DIR", notADirectory.resolve("data").toString())));
    String message = text(err);
    assertTrue(message.startsWith("pel start: the node could not start: "), message);
    assertTrue(message.strip().endsWith(" (the job store: PEL_DATA_DIR, PEL_JOBS_URL)"), message);
    assertTrue(message.contains("a-file"), message);
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  private static String text(ByteArrayOutputStream bytes) {
    return bytes.toString(StandardCharsets.UTF_8).replace("\r", "");
  }
}
