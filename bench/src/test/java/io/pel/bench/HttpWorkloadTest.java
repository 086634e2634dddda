package io.pel.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Framing;
import org.apache.pekko.stream.javadsl.FramingTruncation;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The {@code http} workload's client checks every answer line: the plain route passes with the expected
 * checksum, and a server that gets one line wrong, answers one twice or drops one fails the run, naming it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpWorkloadTest {

  private static final int LINES = 50;
  private ActorSystem<Void> system;
  private PlainHttpService plain;

  @BeforeAll
  void start() throws Exception {
    system = ActorSystem.create(Behaviors.empty(), "http-workload-test");
    plain = PlainHttpService.start(system);
  }

  @AfterAll
  void stop() throws Exception {
    plain.close();
    system.terminate();
  }

  /** A server like the plain route whose answer for each line is {@code answer(index, right answer)}, or none when null. */
  private final class Faulty extends AllDirectives {
    private final ObjectMapper json = new ObjectMapper();

    String start(BiFunction<Long, String, String> answer) throws Exception {
      Route route = extractRequestEntity(entity -> complete(HttpResponse.create().withEntity(HttpEntities.createChunked(
          ContentTypes.APPLICATION_JSON, entity.withoutSizeLimit().getDataBytes()
              .via(Framing.delimiter(ByteString.fromString("\n"), 1024, FramingTruncation.ALLOW))
              .zipWithIndex()
              .mapConcat(line -> {
                String right = "{\"index\":" + line.second() + ",\"result\":\""
                    + PlainHttpService.sha256(json.readValue(line.first().toArray(), String.class)) + "\"}";
                String given = answer.apply(line.second(), right);
                return given == null ? List.of() : List.of(ByteString.fromString(given + "\n"));
              })))));
      ServerBinding binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(route).toCompletableFuture().get(30, TimeUnit.SECONDS);
      return "http://127.0.0.1:" + binding.localAddress().getPort() + "/";
    }
  }

  private static Engine engine(HttpWorkload workload, String name) {
    return workload.engines(new BenchContext(null, null)).stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
  }

  private String failure(BiFunction<Long, String, String> answer, String engine) throws Exception {
    HttpWorkload workload = new HttpWorkload(LINES, new Faulty().start(answer), plain.url());
    return assertThrows(IllegalStateException.class, () -> engine(workload, engine).body().run()).getMessage();
  }

  @Test
  void thePlainRouteAnswersEveryLineRight() throws Exception {
    HttpWorkload workload = new HttpWorkload(LINES, plain.url(), plain.url());
    assertEquals(HttpWorkload.checksum(LINES), engine(workload, HttpWorkload.PLAIN).body().run());
    assertEquals(HttpWorkload.checksum(LINES), engine(workload, HttpWorkload.PLAIN_GATHERED).body().run());
    assertEquals(HttpWorkload.checksum(LINES), engine(workload, HttpWorkload.PEL_ORDERED).body().run());
  }

  @Test
  void aWrongHashAMisplacedLineADoubledOneOrAMissingOneFailTheRun() throws Exception {
    String wrongHash = failure((i, right) -> i == 7 ? right.substring(0, right.length() - 3)
        + (right.charAt(right.length() - 3) == '0' ? '1' : '0') + "\"}" : right, HttpWorkload.PEL_ORDERED);
    assertTrue(wrongHash.startsWith("answer line 7 is wrong (expected {\"index\":7,\"result\":\""), wrongHash);

    String misplaced = failure((i, right) -> i == 3 ? right.replace("\"index\":3", "\"index\":4") : right, HttpWorkload.PEL_ORDERED);
    assertTrue(misplaced.startsWith("answer line 3 is wrong (expected {\"index\":3,"), misplaced);

    AtomicReference<String> previous = new AtomicReference<>();
    String doubled = failure((i, right) -> {
      String before = previous.getAndSet(right);
      return i == 3 ? before : right;
    }, HttpWorkload.PEL_UNORDERED);
    assertTrue(doubled.startsWith("answer line 3 is wrong (index 2 was answered before): {\"index\":2,"), doubled);

    String missing = failure((i, right) -> i == 9 ? null : right, HttpWorkload.PEL_UNORDERED);
    assertEquals(LINES - 1 + " answer lines for " + LINES + " lines; the first unanswered is line 9", missing);
  }
}
