package io.pel.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pel.service.internal.Sha256Module;
import io.pel.testkit.JvmCluster;
import io.pel.testkit.JvmNode;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node of {@code pel-service} alone: {@link NodeMain} in a JVM of its own whose class path is this module's
 * classes, their dependencies and a user's modules compiled with the tests ({@link GreetingModule}, {@link
 * IncrementModule}, named in the tests' {@code META-INF/services/io.pel.service.TaskModule}), and nothing of
 * the samples. Over HTTP it serves {@code sha256}, built in, and the user's types, and answers a type of the
 * samples as unknown.
 */
class NodeMainClassPathTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final Pattern READY = Pattern.compile("service ready: (http://127\\.0\\.0\\.1:\\d+/)");
  /** What the node serves: the built-in type and those of the tests' modules, no other. */
  private static final List<String> SERVED = List.of("sha256", "test.greet", "test.increment");
  /** Types the samples' module serves when the samples' jar is on a node's class path. */
  private static final List<String> SAMPLES_TYPES = List.of("tiny.increment", "jobs.count-primes", "risk.var");

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  @TempDir Path dataDir;

  /** The test's class path, as entries: the service's main and test classes, and their dependencies. */
  private static List<Path> testClassPath() {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return Arrays.stream(classPath.split(File.pathSeparator)).map(Path::of).toList();
  }

  private HttpResponse<String> post(String url, String contentType, String body) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode onlyLine(HttpResponse<String> response) throws Exception {
    assertEquals(200, response.statusCode(), response.body());
    List<String> lines = response.body().lines().toList();
    assertEquals(1, lines.size(), response.body());
    return json.readTree(lines.get(0));
  }

  @Test
  void aNodeOfTheServiceAloneServesSha256AndTheUsersModulesAndNoTypeOfTheSamples() throws Exception {
    List<Path> classPath = testClassPath();
    // The service does not depend on the samples, so neither this JVM nor the node can load them.
    assertThrows(ClassNotFoundException.class, () -> Class.forName("io.pel.samples.SamplesModule"));
    assertTrue(classPath.stream().noneMatch(entry -> entry.toString().contains("pel-samples")), classPath.toString());

    try (JvmCluster cluster = JvmCluster.builder(NodeMain.class.getName(), classPath)
        .nodes(1)
        .env("PEL_HTTP_HOST", "127.0.0.1")
        .env("PEL_HTTP_PORT", "0")
        .env("PEL_DATA_DIR", dataDir.toString())
        .startTimeout(TIMEOUT)
        .start()) {
      JvmNode node = cluster.node(1);
      Matcher ready = READY.matcher(node.awaitLine(READY, TIMEOUT));
      assertTrue(ready.find());
      String url = ready.group(1);

      JsonNode hashed = onlyLine(post(url + "v1/streams/sha256", "application/x-ndjson", "\"hello\"\n"));
      assertEquals("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", hashed.get("result").asText());
      assertEquals(Sha256Module.sha256("hello"), hashed.get("result").asText());

      JsonNode greeted = onlyLine(post(url + "v1/streams/test.greet", "application/x-ndjson", "{\"name\": \"Ada\", \"age\": 36}\n"));
      assertEquals("hello, Ada (36)", greeted.get("result").asText(), greeted.toString());

      for (String type : SAMPLES_TYPES) {
        HttpResponse<String> stream = post(url + "v1/streams/" + type, "application/x-ndjson", "1\n");
        assertEquals(404, stream.statusCode(), type + ": " + stream.body());
        JsonNode refusal = json.readTree(stream.body());
        assertEquals("unknown task type '" + type + "'", refusal.get("error").asText(), stream.body());
        assertEquals(SERVED, json.convertValue(refusal.get("types"), List.class), stream.body());

        HttpResponse<String> job = post(url + "v1/jobs", "application/json",
            "{\"id\": \"job-of-" + type + "\", \"type\": \"" + type + "\", \"inputs\": [1]}");
        assertEquals(404, job.statusCode(), type + ": " + job.body());
        assertEquals("unknown task type '" + type + "'", json.readTree(job.body()).get("error").asText(), job.body());
        assertEquals(SERVED, json.convertValue(json.readTree(job.body()).get("types"), List.class), job.body());
      }

      assertEquals(0, node.stop(TIMEOUT), "a graceful stop exits 0");
      assertFalse(node.isAlive());
    }
  }
}
