package io.pel.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pel.testkit.JvmCluster;
import io.pel.testkit.JvmNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes of the service ({@link NodeMain}, each in a JVM of its own), SIGKILLed one by one, the
 * split-brain resolver's {@code stable-after} at Pekko's 20 s so that nothing is downed meanwhile. With the
 * node of a job's coordinator killed, the others still have a majority and stay ready, and the job's status
 * is 503 with {@code Retry-After} and the service's JSON error within the request timeout, not the server's
 * plain text. With a second node killed, the survivor, a minority the resolver will down, says so at once:
 * {@code /health/ready} turns 503 with the majority reason as soon as it finds the two unreachable, {@code
 * /health/live} stays 200, and the job routes answer 503 with the reason at once instead of asking
 * coordinators that cannot answer.
 */
class ReadinessClusterTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  /** How soon the survivor's answers must change once it sees its peers unreachable: well within the resolver's 20 s. */
  private static final Duration PROMPTLY = Duration.ofSeconds(5);
  private static final Pattern READY = Pattern.compile("service ready: (http://127\\.0\\.0\\.1:\\d+/)");

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  @TempDir Path dataDir;

  private HttpResponse<String> send(String method, String url, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) request.header("Content-Type", "application/json");
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * GETs {@code url} until it answers {@code status}, at most for {@code timeout}: the answer is the
   * outcome waited on, asked again every 100 ms since HTTP has no way to push it.
   */
  private HttpResponse<String> awaitStatus(String url, int status, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      HttpResponse<String> response = send("GET", url, null);
      if (response.statusCode() == status || System.nanoTime() > deadline) return response;
      Thread.sleep(100);
    }
  }

  private static String unreachableLine(JvmNode node) {
    return "member unreachable: " + Pattern.quote(node.address()) + " ";
  }

  @Test
  void aJobWhoseCoordinatorDiedIsA503InTimeAndASurvivorOfTwoKilledNodesIsNotReady() throws Exception {
    try (JvmCluster cluster = JvmCluster.builder(NodeMain.class)
        .nodes(3)
        .property("pekko.cluster.split-brain-resolver.stable-after", "20s")
        .property("pel.workers-per-node", "1")
        .env("PEL_HTTP_HOST", "127.0.0.1")
        .env("PEL_HTTP_PORT", "0")
        .nodeEnv(1, "PEL_DATA_DIR", dataDir.resolve("1").toString())
        .nodeEnv(2, "PEL_DATA_DIR", dataDir.resolve("2").toString())
        .nodeEnv(3, "PEL_DATA_DIR", dataDir.resolve("3").toString())
        .startTimeout(TIMEOUT)
        .start()) {
      JvmNode survivor = cluster.node(3);
      Matcher ready = READY.matcher(survivor.awaitLine(READY, TIMEOUT));
      assertTrue(ready.find());
      String url = ready.group(1);
      HttpResponse<String> before = awaitStatus(url + "health/ready", 200, TIMEOUT);
      assertEquals(200, before.statusCode(), before.body());

      String onNode2 = null;
      for (int i = 0; i < 30 && onNode2 == null; i++) {
        HttpResponse<String> submitted = send("POST", url + "v1/jobs", "{\"id\": \"job-" + i + "\", \"type\": \"sha256\", \"inputs\": [\"a\"]}");
        assertEquals(202, submitted.statusCode(), submitted.body());
        if (json.readTree(submitted.body()).get("node").asText().equals(cluster.node(2).address())) onNode2 = "job-" + i;
      }
      assertNotNull(onNode2, "no job's coordinator runs on node 2");
      cluster.node(2).kill();
      survivor.awaitLine(unreachableLine(cluster.node(2)), TIMEOUT);
      assertEquals(200, send("GET", url + "health/ready", null).statusCode(), "two of three reach each other");
      long asked = System.nanoTime();
      HttpResponse<String> lost = send("GET", url + "v1/jobs/" + onNode2, null);
      Duration waited = Duration.ofNanos(System.nanoTime() - asked);
      assertEquals(503, lost.statusCode(), lost.body());
      assertEquals("5", lost.headers().firstValue("Retry-After").orElse(""), lost.body());
      assertTrue(json.readTree(lost.body()).get("error").asText().startsWith("the job's coordinator did not answer within 7500 ms"), lost.body());
      assertTrue(waited.compareTo(HttpSettings.DEFAULT_REQUEST_TIMEOUT) < 0, "answered before the request timeout: " + waited);

      cluster.node(1).kill();
      survivor.awaitLine(unreachableLine(cluster.node(1)), TIMEOUT);

      HttpResponse<String> notReady = awaitStatus(url + "health/ready", 503, PROMPTLY);
      assertEquals(503, notReady.statusCode(), notReady.body());
      JsonNode answer = json.readTree(notReady.body());
      assertEquals("not ready", answer.get("status").asText(), notReady.body());
      String reason = answer.get("reason").asText();
      assertTrue(reason.startsWith("this node reaches 1 of the cluster's 3 members, not a majority"), reason);
      assertTrue(survivor.isAlive(), "the resolver has not downed the survivor yet");
      assertEquals(200, send("GET", url + "health/live", null).statusCode(), "cut off, the node is alive");

      long started = System.nanoTime();
      HttpResponse<String> submitted = send("POST", url + "v1/jobs", "{\"id\": \"job-new\", \"type\": \"sha256\", \"inputs\": [\"a\"]}");
      HttpResponse<String> status = send("GET", url + "v1/jobs/job-0", null);
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      for (HttpResponse<String> refused : new HttpResponse[] {submitted, status}) {
        assertEquals(503, refused.statusCode(), refused.body());
        assertEquals("5", refused.headers().firstValue("Retry-After").orElse(""), refused.body());
        assertEquals("application/json", refused.headers().firstValue("Content-Type").orElse(""));
        assertTrue(json.readTree(refused.body()).get("error").asText().startsWith("this node reaches 1 of the cluster's 3 members"), refused.body());
      }
      assertTrue(took.compareTo(PROMPTLY) < 0, "the job routes answered at once, not after a coordinator's timeout: " + took);
    }
  }
}
