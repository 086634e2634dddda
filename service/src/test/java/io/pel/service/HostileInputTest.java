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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The streaming service over real HTTP against hostile clients: bytes that are not UTF-8, JSON of the wrong
 * type. Each is answered with an error that names the problem and no class, and the work around it goes on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private ExecutionLayer layer;
  /** Lines of 64 bytes at most, bodies of 4,096. */
  private HttpService open;

  @BeforeAll
  void start() {
    layer = ExecutionLayer.start(ConfigFactory.parseString("pel.workers-per-node = 2"));
    ServiceTypes types = ServiceTypes.load(layer);
    open = HttpService.start(layer, types, null, new HttpSettings("127.0.0.1", 0, "", 64, 4096, 8, 16, 16 << 20));
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
