package io.pel.service;

import static io.pel.service.ErrorAnswers.assertNoClassName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.pel.actors.ExecutionLayer;
import io.pel.service.internal.Sha256Module;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The streaming service over real HTTP against hostile clients: bytes that are not UTF-8, JSON of the wrong
 * type, clients that send slowly or not at all, one address that opens many streams. Each is answered with
 * an error that names the problem and no class, and the work around it goes on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private ExecutionLayer layer;
  /** Lines of 64 bytes at most, bodies of 4,096; two streams per client address. */
  private HttpService open;
  /** Ends a stream that waits 300 ms for a byte. */
  private HttpService impatient;
  /** Ends a stream whose body comes slower than 2,000 bytes/s over 300 ms of waiting. */
  private HttpService demanding;

  @BeforeAll
  void start() {
    layer = ExecutionLayer.start(ConfigFactory.parseString("pel.workers-per-node = 2"));
    ServiceTypes types = ServiceTypes.load(layer);
    open = HttpService.start(layer, types, null, new HttpSettings("127.0.0.1", 0, "", 64, 4096, 8, 16, 16 << 20).withMaxStreamsPerClient(2));
    impatient = HttpService.start(layer, types, null, new HttpSettings("127.0.0.1", 0, "", 1 << 20, 1 << 20, 8, 16, 16 << 20)
        .withSlowClientRules(Duration.ofMillis(300), 0, Duration.ofSeconds(30)));
    demanding = HttpService.start(layer, types, null, new HttpSettings("127.0.0.1", 0, "", 1 << 20, 1 << 20, 8, 16, 16 << 20)
        .withSlowClientRules(Duration.ofSeconds(30), 2000, Duration.ofMillis(300)));
  }

  @AfterAll
  void stop() {
    layer.close();
  }

  private HttpResponse<String> post(HttpService service, String path, byte[] body) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(service.url() + path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(HttpService service, String path, String body) throws Exception {
    return post(service, path, body.getBytes(StandardCharsets.UTF_8));
  }

  /** The answer lines, every error among them checked to name no class. */
  private List<JsonNode> lines(HttpResponse<String> response) throws IOException {
    assertEquals(200, response.statusCode(), response.body());
    List<JsonNode> lines = new ArrayList<>();
    for (String line : response.body().split("\n")) {
      if (line.isBlank()) continue;
      JsonNode node = json.readTree(line);
      if (node.has("error")) assertNoClassName(line);
      lines.add(node);
    }
    return lines;
  }

  private static void assertError(JsonNode line, int index, String inError) {
    assertEquals(index, line.get("index").asInt(), line.toString());
    assertTrue(line.has("error") && line.get("error").asText().contains(inError), "expected '" + inError + "' in " + line);
  }

  private static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      if (part instanceof String text) out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
      else for (int b : (int[]) part) out.write(b);
    }
    return out.toByteArray();
  }

  @Test
  void linesThatAreNotUtf8AreErrorsNamingTheLineAndTheOthersAreAnswered() throws Exception {
    byte[] body = bytes("\"fine\"\n",
        "\"", new int[] {0xC0, 0xAF}, "\"\n", // an overlong '/'
        "\"", new int[] {0xED, 0xA0, 0x80}, "\"\n", // a lone surrogate, CESU-8's way
        "\"ab", new int[] {0xE2, 0x82}, "\n", // a sequence cut short by the line's end
        "\"", new int[] {0xF5, 0x80, 0x80, 0x80}, "\"\n", // past U+10FFFF
        "\"", new int[] {0xC1, 0xBF}, "\"\n",
        "\"", new int[] {0xFF}, "\"\n",
        "\"caf\u00e9 \ud83d\ude00\"\n"); // real UTF-8: two- and four-byte sequences
    List<JsonNode> lines = lines(post(open, "v1/streams/sha256", body));
    assertEquals(8, lines.size(), lines.toString());
    assertEquals(Sha256Module.sha256("fine"), lines.get(0).get("result").asText());
    assertError(lines.get(1), 1, "line 1 is not valid UTF-8 at byte 1: 0xC0");
    assertError(lines.get(2), 2, "line 2 is not valid UTF-8 at byte 1: 0xED");
    assertError(lines.get(3), 3, "line 3 is not valid UTF-8 at byte 3: 0xE2");
    assertError(lines.get(4), 4, "line 4 is not valid UTF-8 at byte 1: 0xF5");
    assertError(lines.get(5), 5, "line 5 is not valid UTF-8 at byte 1: 0xC1");
    assertError(lines.get(6), 6, "line 6 is not valid UTF-8 at byte 1: 0xFF");
    assertEquals(Sha256Module.sha256("caf\u00e9 \ud83d\ude00"), lines.get(7).get("result").asText());
  }

  @Test
  void aLoneSurrogateEscapedInJsonIsAnErrorNotTheHashOfAQuestionMark() throws Exception {
    List<JsonNode> lines = lines(post(open, "v1/streams/sha256", "\"\\ud800\"\n\"a\\udc00b\"\n\"\\ud83d\\ude00\"\n"));
    assertError(lines.get(0), 0, "lone surrogate \\ud800 at char 0");
    assertError(lines.get(1), 1, "lone surrogate \\udc00 at char 1");
    assertEquals(Sha256Module.sha256("\ud83d\ude00"), lines.get(2).get("result").asText(), "a pair is one character");
  }

  @Test
  void aStringTypeRefusesOtherJsonTypesNamingTheExpectedOneAndOtherTypesReadAsBefore() throws Exception {
    List<JsonNode> lines = lines(post(open, "v1/streams/sha256", "5\ntrue\n1.5\n{\"a\": 1}\n[\"a\"]\nnull\n\"5\"\n\"a\" \"b\"\n"));
    assertEquals(8, lines.size(), lines.toString());
    assertError(lines.get(7), 7, "line 7 is not JSON: another value follows the first");
    assertError(lines.get(0), 0, "line 0 is not an input of task type 'sha256' (String): expected a string, not a number");
    assertError(lines.get(1), 1, "expected a string, not a boolean");
    assertError(lines.get(2), 2, "expected a string, not a number");
    assertError(lines.get(3), 3, "expected a string, not an object");
    assertError(lines.get(4), 4, "expected a string, not an array");
    assertError(lines.get(5), 5, "line 5 is null");
    assertEquals(Sha256Module.sha256("5"), lines.get(6).get("result").asText());

    List<JsonNode> numbers = lines(post(open, "v1/streams/test.increment", "41\n{\"n\": 1}\n[1]\n99999999999999999999\n"));
    assertError(numbers.get(3), 3, "line 3 is not an input of task type 'test.increment' (Long): Numeric value (99999999999999999999) out of range of long");
    assertEquals(42, numbers.get(0).get("result").asLong());
    assertError(numbers.get(1), 1, "(Long): expected a whole number, not an object");
    assertError(numbers.get(2), 2, "expected a whole number, not an array");

    List<JsonNode> people = lines(post(open, "v1/streams/test.greet", "{\"name\": 5}\n{\"name\": \"Ada\", \"x\": 1}\n{\"name\": \"Ada\", \"age\": 36}\n"));
    assertError(people.get(0), 0, "(Person): expected a string at name, not a number");
    assertError(people.get(1), 1, "unknown field 'x' (known: age, name)");
    assertEquals("hello, Ada (36)", people.get(2).get("result").asText());
  }

  @Test
  void anIdleStreamIsEndedWithAnErrorLineAndItsConnectionClosedWhileOtherStreamsGoOn() throws Exception {
    try (DuplexStream idle = new DuplexStream(impatient.url() + "v1/streams/sha256", 30_000)) {
      idle.send("\"first\"\n\"sec");
      assertEquals(200, idle.status());
      assertEquals("{\"index\":0,\"result\":\"" + Sha256Module.sha256("first") + "\"}", idle.readLine());
      // A client that sends all it has at once is not idle: served in full beside it.
      List<String> inputs = IntStream.range(0, 2000).mapToObj(i -> "\"busy-" + i + "\"").toList();
      List<JsonNode> busy = lines(post(impatient, "v1/streams/sha256", String.join("\n", inputs) + "\n"));
      assertEquals(2000, busy.size());
      for (int i = 0; i < 2000; i++) assertEquals(Sha256Module.sha256("busy-" + i), busy.get(i).get("result").asText());
      // The idle one sends no more: within its read timeout, its last line says why it ended.
      String last = idle.readLine();
      assertTrue(last.contains("the stream was ended: no bytes of the body came for")
          && last.contains("pel.http.stream-idle-timeout = 300 ms"), last);
      assertNoClassName(last);
      assertEquals(null, idle.readLine(), "the error line ends the response");
      assertTrue(idle.closedByServer(), "and the connection is closed");
    }
  }

  @Test
  void aStreamWhoseBodyTricklesInIsEndedAfterItsLinesReadAreAnswered() throws Exception {
    try (DuplexStream slow = new DuplexStream(demanding.url() + "v1/streams/sha256", 30_000)) {
      slow.send("\"a\"\n");
      assertEquals(200, slow.status());
      // A byte every 20 ms (about 50 bytes/s of the 2,000 asked for), from a thread of its own.
      CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> {
        try {
          for (byte b : "\"b\"\n".repeat(200).getBytes(StandardCharsets.UTF_8)) {
            slow.send(new byte[] {b});
            TimeUnit.MILLISECONDS.sleep(20); // the pace of the client, not a wait for the server
          }
        } catch (IOException | InterruptedException e) {
          // the server closed the connection: what the test waits for
        }
      });
      assertEquals("{\"index\":0,\"result\":\"" + Sha256Module.sha256("a") + "\"}", slow.readLine());
      String line;
      int index = 1;
      while ((line = slow.readLine()).startsWith("{\"index\":" + index + ",\"result\"")) {
        assertEquals("{\"index\":" + index + ",\"result\":\"" + Sha256Module.sha256("b") + "\"}", line);
        index++;
      }
      assertTrue(line.contains("the stream was ended: the body came at") && line.contains("pel.http.stream-min-bytes-per-second = 2000")
          && line.contains("pel.http.stream-rate-window = 300 ms"), line);
      assertEquals(null, slow.readLine());
      assertTrue(slow.closedByServer());
      trickle.get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void oneClientAddressGetsItsShareOfStreamsAnotherAddressStillGetsOne() throws Exception {
    List<DuplexStream> held = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) { // the share of `open`: two streams per address
        DuplexStream stream = new DuplexStream(open.url() + "v1/streams/sha256", 30_000);
        held.add(stream);
        stream.send("\"held\"\n");
        assertEquals(200, stream.status());
        assertEquals("{\"index\":0,\"result\":\"" + Sha256Module.sha256("held") + "\"}", stream.readLine());
      }
      HttpResponse<String> refused = post(open, "v1/streams/sha256", "\"extra\"\n");
      assertEquals(429, refused.statusCode(), refused.body());
      assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
      assertTrue(json.readTree(refused.body()).get("error").asText().contains("2 streams at once to one client address (pel.http.max-streams-per-client)"),
          refused.body());
      assertNoClassName(refused.body());

      // Another address (all of 127/8 is this machine) is served meanwhile.
      try (DuplexStream other = new DuplexStream(open.url() + "v1/streams/sha256", 30_000, InetAddress.getByName("127.0.0.2"))) {
        other.send("\"other\"\n");
        other.end();
        assertEquals(200, other.status());
        assertEquals("{\"index\":0,\"result\":\"" + Sha256Module.sha256("other") + "\"}", other.readLine());
        assertEquals(null, other.readLine());
      }
      for (DuplexStream stream : held) {
        stream.end();
        assertEquals(null, stream.readLine());
      }
      // Their ends give the address its share back, once their streams have stopped on the server (a moment
      // after the client read their last line): a bounded wait for that, not a pause.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      HttpResponse<String> again;
      while ((again = post(open, "v1/streams/sha256", "\"again\"\n")).statusCode() == 429 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(Sha256Module.sha256("again"), lines(again).get(0).get("result").asText());
    } finally {
      for (DuplexStream stream : held) stream.close();
    }
  }

  @Test
  void noErrorAnswerOfBadInputNamesAClass() throws Exception {
    byte[] body = bytes("{bad\n", "[\n", "\"x\" \"y\"\n", "{\"an\": \"object\"}\n", "5\n", "\"", new int[] {0xC0, 0xAF}, "\"\n",
        "\"\\ud800\"\n", "\"" + "x".repeat(100) + "\"\n", "\u0000\u0001\n", "1e999999999\n");
    List<HttpResponse<String>> answers = new ArrayList<>();
    answers.add(post(open, "v1/streams/sha256", body));
    answers.add(post(open, "v1/streams/test.increment", "\"x\"\n1.5\n99999999999999999999999\ntrue\n{}\n"));
    answers.add(post(open, "v1/streams/test.greet", "{\"name\": [1]}\n{\"age\": \"old\"}\n{\"age\": 1e400}\n\"Ada\"\n"));
    for (HttpResponse<String> answer : answers) {
      List<JsonNode> lines = lines(answer); // checks each error line
      assertTrue(lines.stream().filter(line -> !line.has("error")).count() <= 1, "one good line at most: " + answer.body());
    }
    List<HttpResponse<String>> refusals = List.of(post(open, "v1/streams/no-such-type", "\"a\"\n"),
        client.send(HttpRequest.newBuilder(URI.create(open.url() + "v1/streams/sha256")).header("Content-Type", "text/csv")
            .POST(HttpRequest.BodyPublishers.ofString("a,b\n")).build(), HttpResponse.BodyHandlers.ofString()),
        post(open, "v1/streams/sha256", "\"abc\"\n".repeat(1000)));
    assertEquals(List.of(404, 415, 413), refusals.stream().map(HttpResponse::statusCode).collect(Collectors.toList()));
    for (HttpResponse<String> refusal : refusals) assertNoClassName(refusal.body());
  }
}
