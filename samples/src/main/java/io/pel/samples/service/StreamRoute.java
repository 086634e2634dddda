package io.pel.samples.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pel.actors.ExecutionLayer;
import io.pel.actors.OverloadedException;
import io.pel.actors.TaskType;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * {@code POST /v1/streams/{type}}: an NDJSON body in, an NDJSON response out, one line per input line,
 * streamed while the body is still being read. Each input runs as a task of the type; at most {@code
 * pel.http.stream-parallelism} of one stream are in flight, so a client that reads slowly slows intake.
 *
 * <p>A line that is not JSON, not of the type's input shape, or too long gets an error line of its own and
 * the stream goes on; a failed task likewise. Refused before reading: an unknown type ({@code 404}, with the
 * types), a wrong content type ({@code 415}), a declared length over {@code pel.http.max-body-size} ({@code
 * 413}), too many streams ({@code 503} with {@code Retry-After}). A chunked body that outgrows the limit ends
 * its response with an error line.
 */
final class StreamRoute {

  /** The response's media type, and the request media types accepted. */
  static final ContentType.WithFixedCharset NDJSON = ContentTypes.create(MediaTypes.applicationWithFixedCharset("x-ndjson", HttpCharsets.UTF_8));
  private static final Duration OVERLOAD_RETRY = Duration.ofMillis(20);
  private static final int OVERLOAD_ATTEMPTS = 1500; // about 30 s of a full node

  private final ExecutionLayer layer;
  private final ServiceTypes types;
  private final HttpSettings settings;
  private final ObjectMapper json;
  private final AtomicInteger active = new AtomicInteger();
  private volatile boolean closing;
  private final ServiceMetrics metrics;

  /** @param metrics records each stream task's latency and each line's outcome; null for none */
  StreamRoute(ExecutionLayer layer, ServiceTypes types, HttpSettings settings, ObjectMapper json, ServiceMetrics metrics) {
    this.layer = layer;
    this.types = types;
    this.settings = settings;
    this.json = json;
    this.metrics = metrics;
  }

  /** Streams served now. */
  int active() {
    return active.get();
  }

  /** Refuses new streams from now on (503): the node is shutting down, and lets those running finish. */
  void close() {
    closing = true;
  }

  /** Completes once no stream runs, or after {@code timeout}, whichever is first. */
  CompletableFuture<Void> awaitIdle(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    CompletableFuture<Void> idle = new CompletableFuture<>();
    pollIdle(idle, deadline);
    return idle;
  }

  private void pollIdle(CompletableFuture<Void> idle, long deadline) {
    if (active.get() == 0 || System.nanoTime() > deadline) {
      idle.complete(null);
      return;
    }
    CompletableFuture.runAsync(() -> pollIdle(idle, deadline), CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
  }

  HttpResponse handle(String typeName, boolean ordered, RequestEntity entity) {
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
      active.decrementAndGet();
      entity.discardBytes(layer.system());
      return jsonResponse(StatusCodes.SERVICE_UNAVAILABLE, error("this node serves " + settings.maxStreams()
          + " streams at once (pel.http.max-concurrent-streams); try again shortly"))
          .addHeader(RetryAfter.create(1L));
    }
    ServiceMetrics.TypeMeters meters = metrics == null ? null : metrics.forType(type.name());
    Source<ByteString, ?> answers = entity.withSizeLimit(settings.maxBodyBytes()).getDataBytes()
        .via(NdjsonLines.split(settings.maxLineBytes()))
        .via(ordered
            ? org.apache.pekko.stream.javadsl.Flow.<NdjsonLines.Line>create().mapAsync(settings.parallelism(), line -> answer(type, line, meters))
            : org.apache.pekko.stream.javadsl.Flow.<NdjsonLines.Line>create().mapAsyncUnordered(settings.parallelism(), line -> answer(type, line, meters)))
        .recover(EntityStreamSizeException.class, () -> line(error("the body is larger than pel.http.max-body-size = "
            + settings.maxBodyBytes() + " bytes; the lines after it were not read")))
        .watchTermination((mat, done) -> {
          done.whenComplete((ok, failure) -> active.decrementAndGet());
          return NotUsed.getInstance();
        });
    return HttpResponse.create().withEntity(HttpEntities.createChunked(NDJSON, answers));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private CompletionStage<ByteString> answer(TaskType type, NdjsonLines.Line line, ServiceMetrics.TypeMeters meters) {
    if (line.tooLong()) {
      return refused(meters, error(line, "line " + line.index() + " is longer than pel.http.max-line-size = " + settings.maxLineBytes() + " bytes"));
    }
    Object input;
    try {
      JsonNode node = json.readTree(line.bytes().toArray());
      input = json.treeToValue(node, type.inputType());
      if (input == null) return refused(meters, error(line, "line " + line.index() + " is null; task type '" + type.name() + "' needs an input"));
    } catch (JsonProcessingException e) {
      String problem = e.getOriginalMessage().lines().findFirst().orElse("");
      boolean json = !(e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException
          || e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException);
      return refused(meters, error(line, "line " + line.index() + (json ? " is not JSON: " : " is not an input of task type '" + type.name() + "' ("
          + type.inputType().getSimpleName() + "): ") + problem));
    } catch (java.io.IOException e) {
      return refused(meters, error(line, "line " + line.index() + " is not JSON: " + e.getMessage()));
    }
    long start = System.nanoTime();
    CompletionStage<Object> task = submit((TaskType<Object, Object>) type, input, 0);
    return task.handle((result, failure) -> {
      if (meters != null) meters.taskDone(start);
      if (failure == null) {
        ObjectNode out = json.createObjectNode();
        out.put("index", line.index());
        try {
          out.set("result", json.valueToTree(result));
        } catch (IllegalArgumentException e) {
          if (meters != null) meters.line(false);
          return line(error(line, "the result of line " + line.index() + " (a " + result.getClass().getName() + ") cannot be written as JSON"));
        }
        if (meters != null) meters.line(true);
        return line(out);
      }
      if (meters != null) meters.line(false);
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
      return line(error(line, cause.getMessage() == null ? cause.toString() : cause.getMessage()));
    });
  }

  /** Submits, and offers the task again while the node is full (the stream is backpressured meanwhile). */
  private <I, O> CompletionStage<O> submit(TaskType<I, O> type, I input, int attempt) {
    return layer.submit(type, input).handle((result, failure) -> {
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
      if (cause instanceof OverloadedException && attempt < OVERLOAD_ATTEMPTS) {
        return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(OVERLOAD_RETRY.toMillis(), TimeUnit.MILLISECONDS))
            .thenCompose(ignored -> submit(type, input, attempt + 1));
      }
      return failure == null ? CompletableFuture.completedFuture(result) : CompletableFuture.<O>failedFuture(cause);
    }).thenCompose(stage -> stage);
  }

  private ObjectNode error(String message) {
    ObjectNode node = json.createObjectNode();
    node.put("error", message);
    return node;
  }

  private ObjectNode error(NdjsonLines.Line line, String message) {
    ObjectNode node = json.createObjectNode();
    node.put("index", line.index());
    node.put("error", message);
    return node;
  }

  /** An error line for a line that ran no task. */
  private CompletionStage<ByteString> refused(ServiceMetrics.TypeMeters meters, ObjectNode node) {
    if (meters != null) meters.line(false);
    return done(node);
  }

  private CompletionStage<ByteString> done(ObjectNode node) {
    return CompletableFuture.completedFuture(line(node));
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
