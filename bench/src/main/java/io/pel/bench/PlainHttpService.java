package io.pel.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Framing;
import org.apache.pekko.stream.javadsl.FramingTruncation;
import org.apache.pekko.util.ByteString;

/**
 * The {@code http} workload's baseline: a plain Pekko HTTP route, as a Pekko user writes it without PEL,
 * serving {@code POST /v1/streams/sha256} in the shape of PEL's service (NDJSON in, one {@code
 * {"index":n,"result":"<hex>"}} line out per non-blank line, in order, streamed while the body is read).
 * Each line is read with Jackson and hashed inline, on the stream's own thread, as PEL's {@code sha256} task
 * type hashes it: the lowercase hex SHA-256 of the string's UTF-8 bytes. It serves well-formed input only:
 * the bench sends nothing else.
 *
 * <p>With {@code ?gather=true} the route also gathers the answer lines that wait for the connection into one
 * response chunk of at most {@value #GATHER_BYTES} bytes, as PEL's service does: the same route with the one
 * change that is not PEL's parallelism, so the report can tell the two apart.
 */
final class PlainHttpService extends AllDirectives implements AutoCloseable {

  /** The longest line the route frames. */
  static final int MAX_LINE_BYTES = 1 << 20;
  /** With {@code ?gather=true}: the most bytes of answer lines in one chunk. */
  static final int GATHER_BYTES = 64 * 1024;
  private static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);

  private final ActorSystem<?> system;
  private final ObjectReader strings = new ObjectMapper().readerFor(String.class);
  private ServerBinding binding;

  private PlainHttpService(ActorSystem<?> system) {
    this.system = system;
  }

  /** Binds the route on 127.0.0.1, on a free port, on {@code system}. */
  static PlainHttpService start(ActorSystem<?> system) throws Exception {
    PlainHttpService service = new PlainHttpService(system);
    service.binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(service.route())
        .toCompletableFuture().get(BIND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    return service;
  }

  /** Where it listens: {@code http://127.0.0.1:<port>/}. */
  String url() {
    return "http://127.0.0.1:" + binding.localAddress().getPort() + "/";
  }

  private Route route() {
    return path(PathMatchers.segment("v1").slash("streams").slash("sha256"), () -> post(() -> parameterOptional("gather", gather ->
        extractRequestEntity(entity -> complete(answers(entity, gather.map(Boolean::parseBoolean).orElse(false)))))));
  }

  private HttpResponse answers(RequestEntity entity, boolean gather) {
    var lines = entity.withoutSizeLimit().getDataBytes()
        .via(Framing.delimiter(ByteString.fromString("\n"), MAX_LINE_BYTES, FramingTruncation.ALLOW))
        .filter(line -> !line.utf8String().isBlank())
        .zipWithIndex()
        .map(line -> ByteString.fromString("{\"index\":" + line.second() + ",\"result\":\""
            + sha256(strings.readValue(line.first().toArray())) + "\"}\n"));
    if (gather) lines = lines.batchWeighted(GATHER_BYTES, line -> (long) line.size(), first -> first, ByteString::concat).map(ByteString::compact);
    return HttpResponse.create().withEntity(HttpEntities.createChunked(
        ContentTypes.create(MediaTypes.applicationWithFixedCharset("x-ndjson", HttpCharsets.UTF_8)), lines));
  }

  /** The lowercase hex SHA-256 of {@code text}'s UTF-8 bytes, as the service's {@code sha256} task type computes it. */
  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  @Override
  public void close() throws Exception {
    binding.unbind().toCompletableFuture().get(BIND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }
}
