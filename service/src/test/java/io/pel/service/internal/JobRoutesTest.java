package io.pel.service.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.pel.actors.ExecutionLayer;
import io.pel.actors.NonRetryableException;
import io.pel.actors.TaskType;
import io.pel.service.HttpService;
import io.pel.service.HttpSettings;
import io.pel.service.ServiceTypes;
import io.pel.service.TaskModule;
import io.pel.service.ErrorAnswers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Checkpointed jobs and the cluster view over real HTTP, on a node of one with its job store in a temporary directory. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobRoutesTest {

  private static final String TOKEN = "job-token";
  /** A task type of the test's: input "fail..." fails; any other waits until the gate named by the input opens, then upper-cases it. */
  private static final TaskType<String, String> GATED = TaskType.of("test.gated", String.class, String.class);
  private final Map<String, CompletableFuture<Void>> gates = new ConcurrentHashMap<>();
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private ExecutionLayer layer;
  private HttpService open;
  private HttpService guarded;

  @BeforeAll
  void start(@TempDir Path dataDir) {
    layer = ExecutionLayer.start(ConfigFactory.parseString("pel.workers-per-node = 2")
        .withValue("pel.data-dir", ConfigValueFactory.fromAnyRef(dataDir.toString())));
    TaskModule gated = l -> {
      l.registerAsync(GATED, (input, ctx) -> input.startsWith("fail")
          ? CompletableFuture.failedFuture(new NonRetryableException("refused " + input))
          : gate(input).thenApply(ignored -> input.toUpperCase()));
      return List.of(GATED);
    };
    ServiceTypes types = ServiceTypes.of(layer, new Sha256Module(), gated);
    open = HttpService.start(layer, types, layer.jobs(), new HttpSettings("127.0.0.1", 0, "", 1 << 20, 1 << 20, 4, 16, 16 << 20)
        .withMaxJobBytes(16384));
    guarded = HttpService.start(layer, types, layer.jobs(), new HttpSettings("127.0.0.1", 0, TOKEN, 1 << 20, 1 << 20, 4, 16, 16 << 20)
        .withMaxJobBytes(12 << 20));
  }

  @AfterAll
  void stop() {
    gates.values().forEach(gate -> gate.complete(null));
    layer.close();
  }

  private CompletableFuture<Void> gate(String name) {
    return gates.computeIfAbsent(name, n -> new CompletableFuture<>());
  }

  private HttpResponse<String> send(HttpService service, String method, String path, String contentType, String body, String... headers)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.url() + path)).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) request.header("Content-Type", contentType);
    if (headers.length > 0) request.headers(headers);
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> submit(String body) throws Exception {
    return send(open, "POST", "v1/jobs", "application/json", body);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send(open, "GET", path, null, null);
  }

  private String job(String id, String type, List<String> inputs) throws Exception {
    return json.writeValueAsString(Map.of("id", id, "type", type, "inputs", inputs));
  }

  /** The job's status once it is no longer running. */
  private JsonNode awaitFinished(String id) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      HttpResponse<String> response = get("v1/jobs/" + id);
      assertEquals(200, response.statusCode(), response.body());
      JsonNode status = json.readTree(response.body());
      if (!status.get("state").asText().equals("running")) return status;
      assertTrue(System.nanoTime() < deadline, "job " + id + " still running: " + status);
      Thread.sleep(50);
    }
  }

  private List<JsonNode> lines(HttpResponse<String> response) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : response.body().split("\n")) if (!line.isBlank()) lines.add(json.readTree(line));
    return lines;
  }

  private JsonNode body(HttpResponse<String> response) throws IOException {
    return json.readTree(response.body());
  }

  @Test
  void aJobOfSha256InputsCompletesWithItsResultsInInputOrderAndResubmittingItIsIdempotent() throws Exception {
    List<String> inputs = IntStream.range(0, 300).mapToObj(i -> "job-text-" + i).toList();
    HttpResponse<String> accepted = submit(job("hashes-1", "sha256", inputs));
    assertEquals(202, accepted.statusCode(), accepted.body());
    assertEquals("/v1/jobs/hashes-1", accepted.headers().firstValue("Location").orElse(""));
    JsonNode status = body(accepted);
    assertEquals("hashes-1", status.get("id").asText());
    assertEquals("sha256", status.get("type").asText());
    assertEquals(300, status.get("total").asInt());
    assertTrue(status.get("node").asText().startsWith("pekko://pel@"), status.toString());

    JsonNode finished = awaitFinished("hashes-1");
    assertEquals("completed", finished.get("state").asText(), finished.toString());
    assertEquals(300, finished.get("done").asInt());
    assertEquals(0, finished.get("failed").asInt());

    HttpResponse<String> results = get("v1/jobs/hashes-1/results");
    assertEquals(200, results.statusCode(), results.body());
    assertEquals("application/x-ndjson", results.headers().firstValue("Content-Type").orElse(""));
    List<JsonNode> lines = lines(results);
    assertEquals(300, lines.size());
    for (int i = 0; i < 300; i++) {
      assertEquals(i, lines.get(i).get("index").asInt());
      assertEquals(Sha256Module.sha256("job-text-" + i), lines.get(i).get("result").asText());
    }

    HttpResponse<String> again = submit(job("hashes-1", "sha256", inputs));
    assertEquals(202, again.statusCode(), again.body());
    assertEquals("completed", body(again).get("state").asText(), "the same job again: its status");

    HttpResponse<String> conflict = submit(job("hashes-1", "sha256", List.of("other")));
    assertEquals(409, conflict.statusCode(), conflict.body());
    assertTrue(body(conflict).get("error").asText().contains("hashes-1"), conflict.body());
  }

  @Test
  void theResultsOfARunningJobAre409AtOnceThenItsResultsAndFailures() throws Exception {
    HttpResponse<String> accepted = submit(job("gated-1", "test.gated", List.of("gate-a", "fail-b", "gate-a")));
    assertEquals(202, accepted.statusCode(), accepted.body());
    HttpResponse<String> running = get("v1/jobs/gated-1/results");
    assertEquals(409, running.statusCode(), running.body());
    assertTrue(body(running).get("error").asText().matches("job gated-1 is running: [01] of 3 done"), running.body());
    assertEquals("running", body(get("v1/jobs/gated-1")).get("state").asText());

    gate("gate-a").complete(null);
    JsonNode finished = awaitFinished("gated-1");
    assertEquals("failed", finished.get("state").asText(), "completed with a failed task: " + finished);
    assertEquals(3, finished.get("done").asInt());
    assertEquals(1, finished.get("failed").asInt());
    List<JsonNode> lines = lines(get("v1/jobs/gated-1/results"));
    assertEquals(3, lines.size());
    assertEquals("GATE-A", lines.get(0).get("result").asText());
    assertTrue(lines.get(1).get("error").asText().contains("refused fail-b"), lines.get(1).toString());
    assertEquals(1, lines.get(1).get("index").asInt());
    assertEquals("GATE-A", lines.get(2).get("result").asText());
  }

  @Test
  void aCancelledJobIsCancelledAndItsUnfinishedTasksSaySo() throws Exception {
    assertEquals(202, submit(job("to-cancel", "test.gated", List.of("never-opens", "never-opens"))).statusCode());
    HttpResponse<String> cancelled = send(open, "DELETE", "v1/jobs/to-cancel", null, null);
    assertEquals(200, cancelled.statusCode(), cancelled.body());
    assertEquals("cancelled", body(cancelled).get("state").asText(), cancelled.body());
    assertEquals("cancelled", body(get("v1/jobs/to-cancel")).get("state").asText());
    List<JsonNode> lines = lines(get("v1/jobs/to-cancel/results"));
    assertEquals(2, lines.size());
    assertTrue(lines.get(0).get("error").asText().contains("cancelled"), lines.get(0).toString());
  }

  @Test
  void anUnknownJobIs404() throws Exception {
    for (String path : List.of("v1/jobs/no-such-job", "v1/jobs/no-such-job/results")) {
      HttpResponse<String> response = get(path);
      assertEquals(404, response.statusCode(), path + ": " + response.body());
      assertTrue(body(response).get("error").asText().contains("no-such-job"), response.body());
    }
    assertEquals(404, send(open, "DELETE", "v1/jobs/no-such-job", null, null).statusCode());
  }

  @Test
  void badSubmissionsAreRefusedByStatusNamingTheProblem() throws Exception {
    assertRefused(400, submit("{not json"), "the body is not JSON");
    assertRefused(400, submit("[1, 2]"), "a job is a JSON object");
    assertRefused(400, submit("{\"type\": \"sha256\", \"inputs\": [\"a\"]}"), "\"id\"");
    assertRefused(400, submit("{\"id\": \"j1\", \"inputs\": [\"a\"]}"), "\"type\"");
    assertRefused(400, submit("{\"id\": \"j1\", \"type\": \"sha256\", \"inputs\": \"a\"}"), "\"inputs\"");
    assertRefused(400, submit("{\"id\": \"j1\", \"type\": \"sha256\", \"inputs\": [\"a\", \"b\", {\"an\": \"object\"}]}"),
        "input 2 is not an input of task type 'sha256' (String)");
    assertRefused(400, submit("{\"id\": \"j1\", \"type\": \"sha256\", \"inputs\": [\"a\", null]}"), "input 1 is null");
    assertRefused(400, submit("{\"id\": \"j1\", \"type\": \"sha256\", \"inputs\": []}"), "no inputs");
    assertRefused(400, submit(job("not a valid id!", "sha256", List.of("a"))), "is not valid");

    HttpResponse<String> unknown = submit(job("j1", "no-such-type", List.of("a")));
    assertRefused(404, unknown, "unknown task type 'no-such-type'");
    assertTrue(body(unknown).get("types").toString().contains("sha256"), unknown.body());

    assertRefused(415, send(open, "POST", "v1/jobs", "text/plain", job("j1", "sha256", List.of("a"))), "application/json");
    String large = job("j1", "sha256", IntStream.range(0, 2000).mapToObj(i -> "input-" + i).collect(Collectors.toList()));
    assertRefused(413, submit(large), "pel.http.max-job-size = 16384");
    assertEquals(404, get("v1/jobs/j1").statusCode(), "no refused job was submitted");
  }

  private void assertRefused(int status, HttpResponse<String> response, String inError) throws IOException {
    assertEquals(status, response.statusCode(), response.body());
    assertTrue(body(response).get("error").asText().contains(inError), "expected '" + inError + "' in " + response.body());
    ErrorAnswers.assertNoClassName(response.body());
  }

  @Test
  void aJobIdThatIsNotItsOwnPathSegmentIsRefusedNamingTheRule() throws Exception {
    for (String id : List.of(".", "..", "", "a/b", "a%2Fb", "a b", "tab\there", "new\nline", "caf\u00e9", "x".repeat(201), "a?b", "a#b")) {
      assertRefused(400, submit(job(id, "sha256", List.of("a"))), "1-200 letters, digits or . _ - : and not . or .. alone");
    }
    HttpResponse<String> accepted = submit(job("a.b:c-d_e..f", "sha256", List.of("a")));
    assertEquals(202, accepted.statusCode(), accepted.body());
    assertEquals("/v1/jobs/a.b:c-d_e..f", accepted.headers().firstValue("Location").orElse(""));
    assertEquals(200, get("v1/jobs/a.b:c-d_e..f").statusCode(), "an id accepted is reachable at its Location");
  }

  @Test
  void aJobBodyOverTheLimitIs413NamingItDeclaredOrChunkedAndOneOver8MiBUnderItIsRead() throws Exception {
    String[] auth = {"Authorization", "Bearer " + TOKEN};
    // `guarded` takes jobs of 12 MiB: more than Pekko's own 8 MiB for a body read whole.
    String padded = "{\"id\": \"big-1\", \"type\": \"sha256\", \"inputs\": [\"a\"]" + " ".repeat(9 << 20) + "}";
    assertEquals(202, send(guarded, "POST", "v1/jobs", "application/json", padded, auth).statusCode());
    String over = "{\"id\": \"big-2\", \"type\": \"sha256\", \"inputs\": [\"a\"]" + " ".repeat(13 << 20) + "}";
    assertRefused(413, send(guarded, "POST", "v1/jobs", "application/json", over, auth), "at most pel.http.max-job-size = 12582912 bytes");
    HttpResponse<String> chunked = client.send(HttpRequest.newBuilder(URI.create(guarded.url() + "v1/jobs")).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json").headers(auth)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(over.getBytes(StandardCharsets.UTF_8)))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertRefused(413, chunked, "the body is larger; at most pel.http.max-job-size = 12582912 bytes");
    assertEquals(404, send(guarded, "GET", "v1/jobs/big-2", null, null, auth).statusCode());
  }

  @Test
  void aJobBodyThatIsNotUtf8OrHasInputsOfAnotherJsonTypeIs400() throws Exception {
    byte[] overlong = "{\"id\": \"utf-1\", \"type\": \"sha256\", \"inputs\": [\"\u00c0\u00af\"]}".getBytes(StandardCharsets.ISO_8859_1);
    HttpResponse<String> malformed = client.send(HttpRequest.newBuilder(URI.create(open.url() + "v1/jobs")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(overlong)).build(), HttpResponse.BodyHandlers.ofString());
    assertRefused(400, malformed, "the body is not valid UTF-8 at byte 46: 0xC0");
    assertRefused(400, submit("{\"id\": \"utf-2\", \"type\": \"sha256\", \"inputs\": [\"a\", 5]}"),
        "input 1 is not an input of task type 'sha256' (String): expected a string, not a number");
    assertRefused(400, submit("{\"id\": \"utf-3\", \"type\": \"sha256\", \"inputs\": [true]}"), "expected a string, not a boolean");
    assertRefused(400, submit("{\"id\": \"utf-4\", \"type\": \"sha256\", \"inputs\": [\"a\"]} {}"), "another value follows the first");
    for (String id : List.of("utf-1", "utf-2", "utf-3", "utf-4")) assertEquals(404, get("v1/jobs/" + id).statusCode(), id + " was not submitted");
  }

  @Test
  void withATokenTheJobAndClusterEndpointsNeedIt() throws Exception {
    String job = job("guarded-1", "sha256", List.of("a"));
    assertEquals(401, send(guarded, "POST", "v1/jobs", "application/json", job).statusCode());
    assertEquals(401, send(guarded, "GET", "v1/jobs/guarded-1", null, null).statusCode());
    assertEquals(401, send(guarded, "GET", "v1/cluster", null, null).statusCode());
    String[] auth = {"Authorization", "Bearer " + TOKEN};
    assertEquals(202, send(guarded, "POST", "v1/jobs", "application/json", job, auth).statusCode());
    assertEquals(200, send(guarded, "GET", "v1/jobs/guarded-1", null, null, auth).statusCode());
    assertEquals(200, send(guarded, "GET", "v1/cluster", null, null, auth).statusCode());
  }

  @Test
  void theClusterViewListsThisNodeUpWithItsRouteesAndCounters() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (get("health/ready").statusCode() != 200 && System.nanoTime() < deadline) Thread.sleep(50);
    HttpResponse<String> response = get("v1/cluster");
    assertEquals(200, response.statusCode(), response.body());
    JsonNode cluster = body(response);
    String self = cluster.get("self").asText();
    assertTrue(self.startsWith("pekko://pel@127.0.0.1:"), cluster.toString());
    assertEquals(1, cluster.get("members").size(), cluster.toString());
    JsonNode member = cluster.get("members").get(0);
    assertEquals(self, member.get("address").asText());
    assertEquals("Up", member.get("status").asText());
    assertTrue(member.get("reachable").asBoolean());
    assertEquals("[\"worker\"]", member.get("roles").toString(), "the node's roles, not Pekko's data-center role");
    assertEquals(2, member.get("routees").asInt(), "this node's routees: " + member);
    assertTrue(cluster.get("throughput").get("tasksPerSecond").isNumber() && cluster.get("throughput").get("overSeconds").isNumber(),
        cluster.toString());
    JsonNode stats = cluster.get("stats");
    assertEquals(2, stats.get("routees").asInt(), stats.toString());
    for (String counter : List.of("submitted", "succeeded", "failed", "retries", "accepted", "routeeRestarts", "speculativeLaunches",
        "speculativeWins")) {
      assertTrue(stats.get(counter).isNumber(), counter + " in " + stats);
    }
    assertEquals(0, cluster.get("streams").asInt());
  }
}
