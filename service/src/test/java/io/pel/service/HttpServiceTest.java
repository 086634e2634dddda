package io.pel.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.pel.actors.ExecutionLayer;
import io.pel.service.internal.Sha256Module;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The streaming service over real HTTP: streams, per-line errors, refusals, the token, health. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpServiceTest {

  private static final String TOKEN = "s3cret-token";
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private ExecutionLayer layer;
  private HttpService open;
  private HttpService guarded;

  @BeforeAll
  void start() {
    layer = ExecutionLayer.start(ConfigFactory.parseString("pel.workers-per-node = 2"));
    ServiceTypes types = ServiceTypes.load(layer);
    open = HttpService.start(layer, types, null, new HttpSettings("127.0.0.1", 0, "", 64, 4096, 2, 16, 16 << 20));
    guarded = HttpService.start(layer, types, null, new HttpSettings("127.0.0.1", 0, TOKEN, 1 << 20, 1 << 20, 8, 16, 16 << 20));
  }

  @AfterAll
  void stop() {
    layer.close();
  }

  private HttpResponse<String> post(HttpService service, String path, String contentType, String body, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.url() + path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) request.headers(headers);
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private List<JsonNode> lines(HttpResponse<String> response) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : response.body().split("\n")) if (!line.isBlank()) lines.add(json.readTree(line));
    return lines;
  }

  private static String ndjson(List<String> values) {
    return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining("\n")) + "\n";
  }

  @Test
  void aStreamOfStringsComesBackHashedInInputOrder() throws Exception {
    List<String> inputs = IntStream.range(0, 2000).mapToObj(i -> "text-" + i).toList();
    HttpResponse<String> response = post(guarded, "v1/streams/sha256", "application/x-ndjson", ndjson(inputs), "Authorization", "Bearer " + TOKEN);
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("application/x-ndjson", response.headers().firstValue("Content-Type").orElse(""));
    List<JsonNode> lines = lines(response);
    assertEquals(2000, lines.size());
    for (int i = 0; i < 2000; i++) {
      assertEquals(i, lines.get(i).get("index").asInt());
      assertEquals(Sha256Module.sha256("text-" + i), lines.get(i).get("result").asText());
    }
    assertEquals("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", Sha256Module.sha256("hello"));
  }

  @Test
  void unorderedGivesEveryIndexOnce() throws Exception {
    List<String> inputs = IntStream.range(0, 500).mapToObj(i -> "u" + i).toList();
    HttpResponse<String> response = post(guarded, "v1/streams/sha256?ordered=false", "application/x-ndjson", ndjson(inputs),
        "Authorization", "Bearer " + TOKEN);
    List<JsonNode> lines = lines(response);
    assertEquals(500, lines.size());
    boolean[] seen = new boolean[500];
    for (JsonNode line : lines) {
      int i = line.get("index").asInt();
      assertTrue(!seen[i], "index " + i + " twice");
      seen[i] = true;
      assertEquals(Sha256Module.sha256("u" + i), line.get("result").asText());
    }
  }

  @Test
  void aBadLineGetsItsOwnErrorAndTheStreamGoesOn() throws Exception {
    String body = "\"fine\"\n{not json\n{\"an\": \"object\"}\n" + "\"" + "x".repeat(100) + "\"\nnull\n\n\"last\"";
    HttpResponse<String> response = post(open, "v1/streams/sha256", "application/x-ndjson", body);
    assertEquals(200, response.statusCode());
    List<JsonNode> lines = lines(response);
    assertEquals(6, lines.size(), response.body());
    assertEquals(Sha256Module.sha256("fine"), lines.get(0).get("result").asText());
    assertTrue(lines.get(1).get("error").asText().contains("line 1 is not JSON"), lines.get(1).toString());
    assertTrue(lines.get(2).get("error").asText().contains("line 2 is not an input of task type 'sha256'"), lines.get(2).toString());
    assertTrue(lines.get(3).get("error").asText().contains("longer than pel.http.max-line-size = 64 bytes"), lines.get(3).toString());
    assertTrue(lines.get(4).get("error").asText().contains("line 4 is null"), lines.get(4).toString());
    assertEquals(5, lines.get(5).get("index").asInt(), "a blank line takes no index");
    assertEquals(Sha256Module.sha256("last"), lines.get(5).get("result").asText());
  }

  @Test
  void unorderedAnswersEveryLineOnceRefusedAndFailedOnesAndLinesWithEqualInputsToo() throws Exception {
    // Jackson reads "1" as the one cached Long: lines with equal inputs share an input object.
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 300; i++) body.append(i % 3 == 0 ? "1\n" : i % 3 == 1 ? "{bad\n" : (i % 100) + "\n");
    List<JsonNode> lines = lines(post(open, "v1/streams/test.increment?ordered=false", "application/x-ndjson", body.toString()));
    assertEquals(300, lines.size());
    boolean[] seen = new boolean[300];
    for (JsonNode line : lines) {
      int i = line.get("index").asInt();
      assertTrue(!seen[i], "index " + i + " twice");
      seen[i] = true;
      if (i % 3 == 1) assertTrue(line.get("error").asText().contains("line " + i + " is not JSON"), line.toString());
      else assertEquals(i % 3 == 0 ? 2 : i % 100 + 1, line.get("result").asLong(), line.toString());
    }

    List<JsonNode> greeted = lines(post(open, "v1/streams/test.greet?ordered=false", "application/x-ndjson",
        "{\"name\": \"Ada\"}\n{\"age\": 3}\nnull\n"));
    assertEquals(3, greeted.size());
    for (JsonNode line : greeted) {
      switch (line.get("index").asInt()) {
        case 0 -> assertEquals("hello, Ada (0)", line.get("result").asText());
        case 1 -> assertTrue(line.get("error").asText().contains("a person needs a name"), line.toString());
        default -> assertTrue(line.get("error").asText().contains("line 2 is null"), line.toString());
      }
    }
  }

  @Test
  void aFailedTaskGetsAnErrorLineInItsPlace() throws Exception {
    List<JsonNode> lines = lines(post(open, "v1/streams/test.greet", "application/x-ndjson",
        "{\"name\": \"Ada\"}\n{\"age\": 3}\n{\"name\": \"Alan\"}\n"));
    assertEquals(List.of(0, 1, 2), lines.stream().map(line -> line.get("index").asInt()).toList());
    assertEquals("hello, Ada (0)", lines.get(0).get("result").asText());
    assertTrue(lines.get(1).get("error").asText().contains("a person needs a name"), lines.get(1).toString());
    assertEquals("hello, Alan (0)", lines.get(2).get("result").asText());
  }

  @Test
  void aChunkedBodyThatOutgrowsTheLimitHasItsLinesReadAnsweredThenAnErrorLine() throws Exception {
    try (DuplexStream stream = new DuplexStream(open.url() + "v1/streams/sha256", 60_000)) {
      stream.send("\"abc\"\n".repeat(600)); // 3,600 bytes of the 4,096 `open` takes
      assertEquals(200, stream.status());
      for (int i = 0; i < 600; i++) {
        assertEquals("{\"index\":" + i + ",\"result\":\"" + Sha256Module.sha256("abc") + "\"}", stream.readLine());
      }
      stream.send("\"abc\"\n".repeat(600)); // past the limit: lines of it read before are answered (if any)
      String last;
      for (int i = 600; (last = stream.readLine()).startsWith("{\"index\":"); i++) {
        assertEquals("{\"index\":" + i + ",\"result\":\"" + Sha256Module.sha256("abc") + "\"}", last);
      }
      assertTrue(last.contains("the body is larger than pel.http.max-body-size = 4096 bytes"), last);
      assertEquals(null, stream.readLine(), "the error line ends the response");
    }
  }

  @Test
  void anUnknownTypeAWrongContentTypeAndAnOversizedBodyAreRefusedByStatus() throws Exception {
    HttpResponse<String> unknown = post(open, "v1/streams/no-such-type", "application/x-ndjson", "\"a\"\n");
    assertEquals(404, unknown.statusCode());
    JsonNode body = json.readTree(unknown.body());
    assertTrue(body.get("error").asText().contains("no-such-type"));
    assertTrue(body.get("types").toString().contains("sha256") && body.get("types").toString().contains("test.increment"), body.toString());

    HttpResponse<String> form = post(open, "v1/streams/sha256", "application/x-www-form-urlencoded", "\"a\"\n");
    assertEquals(415, form.statusCode());
    assertTrue(form.body().contains("application/x-ndjson"), form.body());

    HttpResponse<String> large = post(open, "v1/streams/sha256", "application/x-ndjson", "\"abc\"\n".repeat(1000));
    assertEquals(413, large.statusCode());
    assertTrue(large.body().contains("pel.http.max-body-size = 4096"), large.body());

    // The refusals disturbed nothing: a stream right after is served in full.
    assertEquals(3, lines(post(open, "v1/streams/sha256", "application/x-ndjson", ndjson(List.of("a", "b", "c")))).size());
  }

  @Test
  void pastTheConcurrencyLimitANewStreamGets503WithRetryAfterAndTheOthersFinish() throws Exception {
    List<DuplexStream> held = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) { // the limit of `open`: two streams at once, kept open by bodies not yet ended
        DuplexStream stream = new DuplexStream(open.url() + "v1/streams/sha256", 60_000);
        held.add(stream);
        stream.send("\"held\"\n");
        // Its first answer proves it is running (and counted) while its body is still open.
        assertEquals(200, stream.status());
        assertEquals("{\"index\":0,\"result\":\"" + Sha256Module.sha256("held") + "\"}", stream.readLine());
      }
      HttpResponse<String> refused = post(open, "v1/streams/sha256", "application/x-ndjson", "\"extra\"\n");
      assertEquals(503, refused.statusCode(), refused.body());
      assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
      for (DuplexStream stream : held) {
        stream.send("\"more\"\n");
        stream.end();
        assertEquals("{\"index\":1,\"result\":\"" + Sha256Module.sha256("more") + "\"}", stream.readLine());
        assertEquals(null, stream.readLine(), "the stream ends with its body");
      }
    } finally {
      for (DuplexStream stream : held) stream.close();
    }
  }

  @Test
  void withATokenTheApiNeedsItAndHealthDoesNot() throws Exception {
    HttpResponse<String> none = post(guarded, "v1/streams/sha256", "application/x-ndjson", "\"a\"\n");
    assertEquals(401, none.statusCode());
    assertTrue(none.headers().firstValue("WWW-Authenticate").isPresent());
    assertEquals(401, post(guarded, "v1/streams/sha256", "application/x-ndjson", "\"a\"\n", "Authorization", "Bearer wrong").statusCode());
    assertEquals(401, post(guarded, "v1/streams/no-such-type", "application/x-ndjson", "\"a\"\n").statusCode(), "no type list without the token");
    for (String path : List.of("health/live", "health/ready")) {
      HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(guarded.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode(), path + ": " + health.body());
    }
    assertEquals("ready", json.readTree(client.send(HttpRequest.newBuilder(URI.create(open.url() + "health/ready")).build(),
        HttpResponse.BodyHandlers.ofString()).body()).get("status").asText());
  }

  @Test
  void aUsersTaskModuleOnTheClassPathIsServed() throws Exception {
    List<JsonNode> lines = lines(post(open, "v1/streams/test.greet", "application/x-ndjson",
        "{\"name\": \"Ada\", \"age\": 36}\n{\"name\": \"Alan\"}\n[1, 2]\n"));
    assertEquals("hello, Ada (36)", lines.get(0).get("result").asText());
    assertEquals("hello, Alan (0)", lines.get(1).get("result").asText(), "a missing field takes its default");
    assertTrue(lines.get(2).get("error").asText().contains("is not an input of task type 'test.greet' (Person)"), lines.get(2).toString());
  }

  @Test
  void badRequestsFromOtherClientsDoNotDisturbAStreamRunningBesideThem() throws Exception {
    List<String> inputs = IntStream.range(0, 20_000).mapToObj(i -> "steady-" + i).toList();
    CompletableFuture<HttpResponse<String>> steady = client.sendAsync(HttpRequest.newBuilder(URI.create(guarded.url() + "v1/streams/sha256"))
        .header("Content-Type", "application/x-ndjson").header("Authorization", "Bearer " + TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString(ndjson(inputs))).build(), HttpResponse.BodyHandlers.ofString());
    for (int round = 0; round < 20; round++) {
      assertEquals(401, post(guarded, "v1/streams/sha256", "application/x-ndjson", "\"a\"\n").statusCode());
      assertEquals(404, post(guarded, "v1/streams/nope", "application/x-ndjson", "\"a\"\n", "Authorization", "Bearer " + TOKEN).statusCode());
      assertEquals(415, post(guarded, "v1/streams/sha256", "text/csv", "a,b\n", "Authorization", "Bearer " + TOKEN).statusCode());
      HttpResponse<String> garbage = post(guarded, "v1/streams/sha256", "application/x-ndjson", "{{{\n\u0000\u0001\n[\n",
          "Authorization", "Bearer " + TOKEN);
      assertEquals(3, lines(garbage).size(), garbage.body());
    }
    List<JsonNode> lines = lines(steady.get(120, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals(20_000, lines.size());
    for (int i = 0; i < 20_000; i++) assertEquals(Sha256Module.sha256("steady-" + i), lines.get(i).get("result").asText(), "line " + i);
  }

  @Test
  void aModulesNumberTypeReadsAndWritesJsonNumbers() throws Exception {
    List<JsonNode> lines = lines(post(open, "v1/streams/test.increment", "application/x-ndjson", "1\n41\n"));
    assertEquals(2, lines.get(0).get("result").asLong());
    assertEquals(42, lines.get(1).get("result").asLong());
  }
}
