package io.pel.service.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pel.actors.ExecutionLayer;
import io.pel.actors.TaskOutcome;
import io.pel.actors.TaskType;
import io.pel.service.HttpSettings;
import io.pel.service.ServiceTypes;
import io.pel.streams.ParallelFlow;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.japi.pf.PFBuilder;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * {@code POST /v1/streams/{type}}: an NDJSON body in, an NDJSON response out, one line per input line,
 * streamed while the body is still being read. The inputs run as tasks of the type through its {@link
 * ParallelFlow} (in batches when the routees are busy); at most {@code pel.http.stream-parallelism} lines of
 * one stream, and {@code pel.http.stream-buffer-size} of their bytes, are taken in and not yet answered, so a
 * client that reads slowly slows intake.
 *
 * <p>A line that is not UTF-8 ({@link StrictUtf8}), not JSON, not of the type's input shape, or too long
 * gets an error line of its own and the stream goes on; a failed task likewise. Refused before reading: an
 * unknown type ({@code 404}, with the types), a wrong content type ({@code 415}), a declared length over
 * {@code pel.http.max-body-size} ({@code 413}), too many streams ({@code 503} with {@code Retry-After}), too
 * many streams of the client's address ({@code 429} with {@code Retry-After}). A chunked body that outgrows
 * the limit, or whose client sends it too slowly ({@link IntakeGuard}), has the lines read before answered,
 * then an error line ends its response.
 */
final class StreamRoute {

  /** The response's media type, and the request media types accepted. */
  static final ContentType.WithFixedCharset NDJSON = ContentTypes.create(MediaTypes.applicationWithFixedCharset("x-ndjson", HttpCharsets.UTF_8));

  private final ExecutionLayer layer;
  private final ServiceTypes types;
  private final HttpSettings settings;
  private final ObjectMapper json;
  private final AtomicInteger active = new AtomicInteger();
  /** Streams served now by remote address; an address without streams has no entry. */
  private final ConcurrentHashMap<InetAddress, Integer> activeByClient = new ConcurrentHashMap<>();
  /** What {@link IntakeGuard} measures a slow client's time with (nanoseconds). */
  private final LongSupplier clock;
  private volatile boolean closing;
  /** Completed once {@link #close()} was called and no stream runs. */
  private final CompletableFuture<Void> idle = new CompletableFuture<>();
  private final ServiceMetrics metrics;
  private final AnswerLines answerLines;

  /**
   * @param metrics records each stream task's latency and each line's outcome; null for none
   * @param clock nanoseconds, for the slow-client rules ({@link IntakeMeter}, which its test drives by a clock of its own)
   */
  StreamRoute(ExecutionLayer layer, ServiceTypes types, HttpSettings settings, ObjectMapper json, ServiceMetrics metrics,
      LongSupplier clock) {
    this.layer = layer;
    this.clock = clock;
    this.types = types;
    this.settings = settings;
    this.json = json;
    this.metrics = metrics;
    this.answerLines = new AnswerLines(json);
  }

  /** Streams served now. */
  int active() {
    return active.get();
  }

  /** Refuses new streams from now on (503): the node is shutting down, and lets those running finish. */
  void close() {
    closing = true;
    if (active.get() == 0) idle.complete(null);
  }

  /** After {@link #close()}: completes once no stream runs, or after {@code timeout}, whichever is first. */
  CompletableFuture<Void> awaitIdle(Duration timeout) {
    return idle.copy().completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * A stream's end. The last one to end after {@link #close()} completes {@link #idle}; {@code closing} is
   * set before {@code close()} reads {@code active}, so one of the two sees the other.
   */
  private void streamEnded(InetAddress client) {
    if (client != null) activeByClient.computeIfPresent(client, (address, streams) -> streams == 1 ? null : streams - 1);
    if (active.decrementAndGet() == 0 && closing) idle.complete(null);
  }

  /** Counts a stream of {@code client} (null: unknown, not counted), unless it has its most already. */
  private boolean clientMayStart(InetAddress client) {
    if (client == null) return true;
    boolean[] counted = {false};
    activeByClient.compute(client, (address, streams) -> {
      int now = streams == null ? 0 : streams;
      if (now >= settings.maxStreamsPerClient()) return streams;
      counted[0] = true;
      return now + 1;
    });
    return counted[0];
  }

  /** A stream from {@code client}, the remote address of its connection (null if unknown). */
  HttpResponse handle(String typeName, boolean ordered, RequestEntity entity, InetAddress client) {
    TaskType<?, ?> type = types.find(typeName);
    if (type == null) {
      entity.discardBytes(layer.system());
      ObjectNode body = error("unknown task type '" + typeName + "'");
      body.set("types", json.valueToTree(types.names()));
      return jsonResponse(StatusCodes.NOT_FOUND, body);
    }
    String media = entity.getContentType().mediaType().toString();
    if (!media.equals("application/x-ndjson") && !media.equals("application/jsonl") && !media.equals("text/plain")) {
      entity.discardBytes(layer.system());
      return jsonResponse(StatusCodes.UNSUPPORTED_MEDIA_TYPE,
          error("a stream's body is NDJSON: send Content-Type application/x-ndjson, not " + media));
    }
    if (entity.getContentLengthOption().isPresent() && entity.getContentLengthOption().getAsLong() > settings.maxBodyBytes()) {
      entity.discardBytes(layer.system());
      return jsonResponse(StatusCodes.PAYLOAD_TOO_LARGE, error("the body has " + entity.getContentLengthOption().getAsLong()
          + " bytes; at most pel.http.max-body-size = " + settings.maxBodyBytes()));
    }
    if (closing) {
      entity.discardBytes(layer.system());
      return jsonResponse(StatusCodes.SERVICE_UNAVAILABLE, error("this node is shutting down: send the stream to another node"))
          .addHeader(RetryAfter.create(1L));
    }
    if (active.incrementAndGet() > settings.maxStreams()) {
      streamEnded(null);
      entity.discardBytes(layer.system());
      return jsonResponse(StatusCodes.SERVICE_UNAVAILABLE, error("this node serves " + settings.maxStreams()
          + " streams at once (pel.http.max-concurrent-streams); try again shortly"))
          .addHeader(RetryAfter.create(1L));
    }
    if (!clientMayStart(client)) {
      streamEnded(null);
      entity.discardBytes(layer.system());
      return jsonResponse(StatusCodes.TOO_MANY_REQUESTS, error("this node serves " + settings.maxStreamsPerClient()
          + " streams at once to one client address (pel.http.max-streams-per-client); end one, or try again shortly"))
          .addHeader(RetryAfter.create(1L));
    }
    ServiceMetrics.TypeMeters meters = metrics == null ? null : metrics.forType(type.name());
    Source<ByteString, ?> answers = entity.withSizeLimit(settings.maxBodyBytes()).getDataBytes()
        .via(new IntakeGuard(settings.streamIdleTimeout(), settings.streamMinBytesPerSecond(), settings.streamRateWindow(), clock))
        .via(NdjsonLines.split(settings.maxLineBytes()))
        .via(answers(type, ordered, meters))
        .via(AnswerLines.chunks())
        .recover(new PFBuilder<Throwable, ByteString>().match(Throwable.class, failure -> line(error(lastWords(failure)))).build())
        .watchTermination((mat, done) -> {
          done.whenComplete((ok, failure) -> streamEnded(client));
          return NotUsed.getInstance();
        });
    return HttpResponse.create().withEntity(HttpEntities.createChunked(NDJSON, answers));
  }

  /** The last line of a stream that failed: why, in a client's words. */
  private String lastWords(Throwable failure) {
    if (failure instanceof EntityStreamSizeException) {
      return "the body is larger than pel.http.max-body-size = " + settings.maxBodyBytes() + " bytes; the lines after it were not read";
    }
    if (failure instanceof IntakeGuard.SlowClientException) {
      return "the stream was ended: " + failure.getMessage() + "; the lines after it were not read";
    }
    return "the stream failed: " + ErrorText.of(failure);
  }

  /**
   * Lines to answers: each line parsed to its task input (or refused), the inputs run through the type's
   * {@link ParallelFlow} (which batches them, sizes its window and waits out a full layer by itself), and
   * each outcome put back at its line by {@link LineAnswers}, which holds at most {@code
   * pel.http.stream-parallelism} lines of the stream and {@code pel.http.stream-buffer-size} of their bytes.
   */
  private <I, O> Flow<NdjsonLines.Line, ByteString, NotUsed> answers(TaskType<I, O> type, boolean ordered,
      ServiceMetrics.TypeMeters meters) {
    ParallelFlow<I, O> tasks = ordered ? ParallelFlow.of(layer, type) : ParallelFlow.of(layer, type).unordered();
    ObjectReader reader = json.readerFor(json.constructType(type.input().type()));
    StrictUtf8 utf8 = new StrictUtf8(); // this stream's: its lines are parsed one at a time
    return Flow.<NdjsonLines.Line>create()
        .map(line -> parse(type, reader, utf8, line))
        .via(LineAnswers.<I, O>create(ordered, settings.parallelism(), settings.bufferBytes()).join(tasks.outcomes()))
        .map(answer -> line(answer, meters));
  }

  /**
   * The line's input of {@code type}, read by {@code reader} from its text ({@code utf8} decodes it), or why
   * it has none. A line that is not JSON is told apart from one of the wrong shape as a tree read would tell
   * them: the reader stops at the first token its type cannot take ({@code {bad} is not a string), so a
   * refused line is read once more as a tree.
   */
  private <I> LineAnswers.Line<I> parse(TaskType<I, ?> type, ObjectReader reader, StrictUtf8 utf8, NdjsonLines.Line line) {
    if (line.tooLong()) {
      return refused(line, "line " + line.index() + " is longer than pel.http.max-line-size = " + settings.maxLineBytes() + " bytes");
    }
    String text;
    try {
      text = utf8.decode(line.bytes().toArray());
    } catch (StrictUtf8.MalformedException e) {
      return refused(line, "line " + line.index() + " is " + e.getMessage());
    }
    try {
      I input = reader.readValue(text);
      if (input == null) return refused(line, "line " + line.index() + " is null; task type '" + type.name() + "' needs an input");
      return new LineAnswers.Line<>(line.index(), input, null, line.bytes().size());
    } catch (JsonProcessingException e) {
      JsonNode tree;
      try {
        tree = json.readTree(text);
      } catch (JsonProcessingException notJson) {
        return refused(line, "line " + line.index() + " is not JSON: " + JsonInputs.problem(notJson));
      }
      return refused(line, "line " + line.index() + " is not an input of task type '" + type.name() + "' (" + type.input().simpleName()
          + "): " + JsonInputs.problem(e, tree));
    }
  }

  private static <I> LineAnswers.Line<I> refused(NdjsonLines.Line line, String why) {
    return new LineAnswers.Line<>(line.index(), null, why, line.bytes().size());
  }

  /** The answer line: the result, or the error; counted, and a task's latency recorded. */
  private ByteString line(LineAnswers.Answer<?, ?> answer, ServiceMetrics.TypeMeters meters) {
    TaskOutcome<?> outcome = answer.outcome();
    if (outcome == null) return counted(meters, false, answerLines.error(answer.index(), answer.refusal()));
    if (meters != null) meters.taskTook(answer.taskNanos());
    if (!outcome.succeeded()) {
      return counted(meters, false, answerLines.error(answer.index(), ErrorText.of(outcome.failure())));
    }
    try {
      return counted(meters, true, answerLines.result(answer.index(), outcome.result()));
    } catch (IllegalArgumentException e) {
      return counted(meters, false, answerLines.error(answer.index(), "the result of line " + answer.index() + " (a "
          + outcome.result().getClass().getSimpleName() + ") cannot be written as JSON"));
    }
  }

  private static ByteString counted(ServiceMetrics.TypeMeters meters, boolean ok, ByteString line) {
    if (meters != null) meters.line(ok);
    return line;
  }

  private ObjectNode error(String message) {
    ObjectNode node = json.createObjectNode();
    node.put("error", message);
    return node;
  }

  private ByteString line(JsonNode node) {
    try {
      return ByteString.fromArray(json.writeValueAsBytes(node)).concat(ByteString.fromString("\n"));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + node, e);
    }
  }

  HttpResponse jsonResponse(org.apache.pekko.http.javadsl.model.StatusCode status, JsonNode body) {
    return HttpResponse.create().withStatus(status).withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, line(body).toArray()));
  }
}
