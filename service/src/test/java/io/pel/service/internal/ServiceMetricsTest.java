package io.pel.service.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.pel.actors.ExecutionLayer;
import io.pel.actors.LayerStats;
import io.pel.actors.NodeLoad;
import io.pel.service.HttpService;
import io.pel.service.HttpSettings;
import io.pel.service.ServiceTypes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code GET /metrics} and the dashboard's feed over real HTTP, after a stream ran on a fresh node. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceMetricsTest {

  private static final String TOKEN = "metrics-token";
  private static final int LINES = 300;
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private ExecutionLayer layer;
  private HttpService service;

  @BeforeAll
  void start() throws Exception {
    layer = ExecutionLayer.start(ConfigFactory.parseString("pel.workers-per-node = 2"));
    service = HttpService.start(layer, ServiceTypes.load(layer), null, new HttpSettings("127.0.0.1", 0, TOKEN, 1 << 20, 1 << 20, 8, 16, 16 << 20));
    String body = IntStream.range(0, LINES).mapToObj(i -> "\"m" + i + "\"").collect(Collectors.joining("\n")) + "\n{not json\n";
    HttpResponse<String> stream = client.send(HttpRequest.newBuilder(URI.create(service.url() + "v1/streams/sha256"))
        .header("Content-Type", "application/x-ndjson").header("Authorization", "Bearer " + TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, stream.statusCode(), stream.body());
    assertEquals(LINES + 1, stream.body().lines().count());
  }

  @AfterAll
  void stop() {
    layer.close();
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.url() + path)).timeout(Duration.ofSeconds(30));
    if (headers.length > 0) request.headers(headers);
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Prometheus' text format as {@code name{labels}} to value; comments left out. */
  private static Map<String, Double> samples(String text) {
    Map<String, Double> samples = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return samples;
  }

  @Test
  void metricsHaveTheNodesCountersAndTheStreamsLatencyHistogram() throws Exception {
    HttpResponse<String> response = get("metrics", "Authorization", "Bearer " + TOKEN);
    assertEquals(200, response.statusCode(), response.body());
    // Pekko HTTP writes the charset's name as registered (UTF-8); charset values are case-insensitive.
    assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("Content-Type").orElse("").toLowerCase());
    Map<String, Double> m = samples(response.body());
    LayerStats stats = layer.stats();
    // The stream's ParallelFlow sends lines in batches, and the node counts a batch as one task.
    assertTrue(stats.submitted() >= 1 && stats.submitted() <= LINES, "a fresh node ran the stream's tasks only: " + stats);
    assertEquals(stats.submitted(), stats.succeeded(), stats.toString());
    assertEquals(stats.submitted(), m.get("pel_tasks_submitted_total"), response.body());
    assertEquals(stats.succeeded(), m.get("pel_tasks_succeeded_total"));
    assertEquals(0.0, m.get("pel_tasks_failed_total"));
    assertEquals(stats.retries(), m.get("pel_tasks_retries_total"));
    assertEquals(stats.rejected(), m.get("pel_tasks_rejected_total"));
    assertEquals(stats.routeeRestarts(), m.get("pel_routee_restarts_total"));
    assertEquals(stats.speculativeLaunches(), m.get("pel_speculative_launches_total"));
    assertEquals(stats.speculativeWins(), m.get("pel_speculative_wins_total"));
    assertEquals(0.0, m.get("pel_tasks_in_flight"));
    assertEquals(stats.routees(), m.get("pel_routees"));
    assertTrue(stats.routees() > 0);
    assertEquals(0.0, m.get("pel_http_streams_active"));
    // The node's load: its counters, and the last minute's gauges (NaN until a second reading, 5 s after start).
    NodeLoad load = layer.load(System.nanoTime());
    assertEquals(load.routees(), m.get("pel_routees_local"));
    assertEquals(0.0, m.get("pel_tasks_waiting"));
    assertTrue(m.get("pel_routee_busy_seconds_total") > 0, "the stream's tasks kept the routees busy a while");
    assertTrue(m.get("pel_attempts_completed_total") >= stats.submitted(), response.body());
    for (String gauge : List.of("pel_routee_utilisation", "pel_attempts_completed_rate", "pel_attempts_true_rate",
        "pel_recommended_nodes", "pel_cluster_utilisation", "pel_cluster_waiting")) {
      assertTrue(m.containsKey(gauge), gauge + " is served: " + response.body());
    }
    // The blocking pool: its threads (two at least, idle here) and what it ran (sha256 is CPU-bound: nothing).
    assertEquals(2.0, m.get("pel_blocking_size"), response.body());
    assertEquals(0.0, m.get("pel_blocking_queued"));
    assertEquals(0.0, m.get("pel_blocking_completed_total"));
    assertTrue(m.containsKey("pel_blocking_threads") && m.containsKey("pel_blocking_busy"), response.body());

    assertEquals(LINES, m.get("pel_stream_lines_total{outcome=\"ok\",type=\"sha256\"}"), response.body());
    assertEquals(1.0, m.get("pel_stream_lines_total{outcome=\"error\",type=\"sha256\"}"));
    assertEquals(LINES, m.get("pel_stream_task_seconds_count{type=\"sha256\"}"), "the bad line ran no task");
    assertTrue(m.get("pel_stream_task_seconds_sum{type=\"sha256\"}") > 0);
    assertTrue(response.body().contains("# TYPE pel_stream_task_seconds histogram"), response.body());
    assertEquals(LINES, m.get("pel_stream_task_seconds_bucket{type=\"sha256\",le=\"+Inf\"}"));
    long buckets = m.keySet().stream().filter(k -> k.startsWith("pel_stream_task_seconds_bucket{type=\"sha256\"")).count();
    assertTrue(buckets > 10, "a percentile histogram has many buckets: " + buckets);
    double previous = 0;
    for (Map.Entry<String, Double> bucket : m.entrySet()) { // cumulative, so never falling (in the text's order too)
      if (!bucket.getKey().startsWith("pel_stream_task_seconds_bucket")) continue;
      assertTrue(bucket.getValue() >= 0 && bucket.getValue() <= LINES);
      previous = Math.max(previous, bucket.getValue());
    }
    assertEquals(LINES, previous);
  }

  @Test
  void withATokenMetricsAndTheDashboardNeedIt() throws Exception {
    assertEquals(401, get("metrics").statusCode());
    assertEquals(401, get("metrics", "Authorization", "Bearer wrong").statusCode());
    assertEquals(401, get("metrics?token=" + TOKEN).statusCode(), "only the dashboard takes the token in the query");
    assertEquals(401, get("").statusCode());
    assertEquals(401, get("v1/dashboard").statusCode());
    assertEquals(401, get("v1/dashboard?token=wrong").statusCode());

    HttpResponse<String> page = get("?token=" + TOKEN);
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(page.body().contains("dashboard/app.js"), page.body());
    HttpResponse<String> script = get("dashboard/app.js");
    assertEquals(200, script.statusCode(), "the static files hold no data and are open");
    assertTrue(script.body().contains("v1/dashboard"));
    assertEquals(200, get("dashboard/style.css").statusCode());
  }

  @Test
  void theDashboardFeedHasTheNodeItsMembersAndTheCounters() throws Exception {
    for (HttpResponse<String> response : new HttpResponse[] {get("v1/dashboard?token=" + TOKEN),
        get("v1/dashboard", "Authorization", "Bearer " + TOKEN)}) {
      assertEquals(200, response.statusCode(), response.body());
      JsonNode feed = json.readTree(response.body());
      assertTrue(feed.get("node").asText().startsWith("pekko://"), feed.toString());
      assertEquals(1, feed.get("members").size());
      JsonNode self = feed.get("members").get(0);
      assertEquals(feed.get("node").asText(), self.get("address").asText());
      assertEquals("Up", self.get("status").asText());
      assertTrue(self.get("self").asBoolean() && self.get("reachable").asBoolean());
      assertEquals(layer.stats().succeeded(), feed.get("stats").get("succeeded").asLong());
      assertEquals(LINES, feed.get("types").get("sha256").get("tasks").asLong());
      assertEquals(LINES, feed.get("types").get("sha256").get("linesOk").asLong());
      assertEquals(1, feed.get("types").get("sha256").get("linesError").asLong());
      assertTrue(feed.get("types").get("sha256").get("latencySecondsSum").asDouble() > 0);
    }
  }
}
