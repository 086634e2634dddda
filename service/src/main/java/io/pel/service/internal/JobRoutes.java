package io.pel.service.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pel.actors.ExecutionLayer;
import io.pel.actors.JobConflictException;
import io.pel.actors.JobState;
import io.pel.actors.JobStatus;
import io.pel.actors.JobStoreException;
import io.pel.actors.Jobs;
import io.pel.actors.TaskOutcome;
import io.pel.actors.TaskType;
import io.pel.actors.UnknownJobException;
import io.pel.actors.UnknownTaskTypeException;
import io.pel.service.HttpSettings;
import io.pel.service.ServiceTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamException;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Checkpointed jobs over HTTP ({@link Jobs}), under {@code /v1}:
 *
 * <ul>
 *   <li>{@code POST /jobs} with {@code {"id": ..., "type": ..., "inputs": [...]}}: {@code 202} with {@code
 *       Location: /v1/jobs/{id}} and the job's status once it is in the job store. Submitting the same job
 *       again is answered the same way; a job of that id with another type or other inputs gets {@code 409}.
 *   <li>{@code GET /jobs/{id}}: its status.
 *   <li>{@code GET /jobs/{id}/results}: NDJSON, one line per input in input order, {@code {"index":n,
 *       "result":...}} or {@code {"index":n,"error":"..."}}, once the job has finished; {@code 409} while it
 *       runs.
 *   <li>{@code DELETE /jobs/{id}}: cancels it; {@code 200} with its status.
 * </ul>
 *
 * A job id is 1&ndash;200 letters, digits or {@code . _ - :}, and not {@code .} or {@code ..} alone: the
 * rule of {@link Jobs} less the two ids a URL path would resolve away, so that every id accepted is the
 * path segment of its {@code /v1/jobs/{id}} as it is. Any other is refused with {@code 400} naming the rule.
 * A body is at most {@code pel.http.max-job-size} ({@code 413} naming it), UTF-8 ({@code 400} naming the
 * first byte that is not), and its inputs are read as the type's input class ({@link JsonInputs}).
 *
 * <p>A status is {@code {"id","type","state","done","total","failed","node"}}: state {@code running}, {@code
 * completed}, {@code failed} (completed with at least one failed task) or {@code cancelled}; {@code done}
 * tasks have an outcome, {@code failed} of them a failure; {@code node} is where the job is run from.
 */
final class JobRoutes extends AllDirectives {

  private static final long BODY_TIMEOUT_MILLIS = 30_000;
  /** Bytes past pel.http.max-job-size read and dropped before a 413, so that the client's connection closes cleanly. */
  static final long DRAIN_BYTES = 4L << 20;
  /** The job ids the service takes; see the class's comment. */
  private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._:-]{1,200}");
  static final String JOB_ID_RULE = "an id is 1-200 letters, digits or . _ - : and not . or .. alone (it is the path segment of /v1/jobs/{id})";

  private final ExecutionLayer layer;
  private final Jobs jobs;
  private final ServiceTypes types;
  private final HttpSettings settings;
  private final ObjectMapper json;
  private final StreamRoute responses;

  /** {@code jobs} may be null: then there are no job routes (a service without a job store). */
  JobRoutes(ExecutionLayer layer, Jobs jobs, ServiceTypes types, HttpSettings settings, ObjectMapper json, StreamRoute responses) {
    this.layer = layer;
    this.jobs = jobs;
    this.types = types;
    this.settings = settings;
    this.json = json;
    this.responses = responses;
  }

  /** The routes, to be placed under {@code /v1}. */
  Route route() {
    if (jobs == null) return reject();
    return pathPrefix("jobs", () -> concat(
        pathEnd(() -> post(() -> extractRequestEntity(entity -> completeWithFuture(submit(entity))))),
        pathPrefix(PathMatchers.segment(), id -> concat(
            pathEnd(() -> concat(
                get(() -> completeWithFuture(answer(within(jobs.status(id)), StatusCodes.OK))),
                delete(() -> completeWithFuture(answer(within(jobs.cancel(id)), StatusCodes.OK))))),
            path("results", () -> get(() -> completeWithFuture(results(id))))))));
  }

  private CompletionStage<HttpResponse> submit(RequestEntity entity) {
    String media = entity.getContentType().mediaType().toString();
    if (!media.equals("application/json")) {
      entity.discardBytes(layer.system());
      return done(error(StatusCodes.UNSUPPORTED_MEDIA_TYPE, "a job is JSON: send Content-Type application/json, not " + media));
    }
    long limit = settings.maxJobBytes();
    if (entity.getContentLengthOption().isPresent() && entity.getContentLengthOption().getAsLong() > limit + DRAIN_BYTES) {
      // Too much to read for nothing: answered at once, and Pekko closes the connection after the answer.
      entity.discardBytes(layer.system());
      return done(tooLarge("has " + entity.getContentLengthOption().getAsLong() + " bytes"));
    }
    // Read whole up to the limit; past it, up to DRAIN_BYTES more are read and dropped before the 413, so that
    // a client still sending gets the answer on a connection closed cleanly (one closed with bytes unread
    // resets, and the client may lose the answer). Both size limits: the entity's (else Pekko's
    // parsing.max-content-length) and this fold's.
    return entity.withSizeLimit(limit + DRAIN_BYTES).getDataBytes()
        .completionTimeout(java.time.Duration.ofMillis(BODY_TIMEOUT_MILLIS))
        .runFold(new BodyBuffer(limit), BodyBuffer::add, Materializer.matFromSystem(layer.system()))
        .thenCompose(body -> body.over() ? done(tooLarge(entity.getContentLengthOption().isPresent()
            ? "has " + entity.getContentLengthOption().getAsLong() + " bytes" : "is larger")) : submit(body.bytes()))
        .exceptionally(failure -> tooLarge(unwrap(failure)) ? tooLarge("is larger") : unreadable(unwrap(failure)));
  }

  /** A job body as it comes: kept up to {@code limit} bytes, and only counted past it. */
  private static final class BodyBuffer {
    private final long limit;
    private final org.apache.pekko.util.ByteStringBuilder kept = new org.apache.pekko.util.ByteStringBuilder();
    private long size;

    BodyBuffer(long limit) {
      this.limit = limit;
    }

    BodyBuffer add(ByteString chunk) {
      size += chunk.size();
      if (size <= limit) kept.append(chunk);
      return this;
    }

    boolean over() {
      return size > limit;
    }

    ByteString bytes() {
      return kept.result();
    }
  }

  /** Whether reading the body failed on a size limit. */
  private static boolean tooLarge(Throwable failure) {
    return failure instanceof EntityStreamSizeException
        || failure instanceof EntityStreamException e && e.getMessage() != null && e.getMessage().contains("too large");
  }

  private HttpResponse unreadable(Throwable failure) {
    if (failure instanceof TimeoutException) {
      return error(StatusCodes.REQUEST_TIMEOUT, "the body did not come within " + BODY_TIMEOUT_MILLIS / 1000 + " s");
    }
    return error(StatusCodes.BAD_REQUEST, "the body could not be read: " + ErrorText.of(failure));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private CompletionStage<HttpResponse> submit(ByteString body) {
    JsonNode job;
    try {
      job = json.readTree(new StrictUtf8().decode(body.toArray()));
    } catch (StrictUtf8.MalformedException e) {
      return done(error(StatusCodes.BAD_REQUEST, "the body is " + e.getMessage()));
    } catch (JsonProcessingException e) {
      return done(error(StatusCodes.BAD_REQUEST, "the body is not JSON: " + JsonInputs.problem(e)));
    }
    if (job == null || !job.isObject()) {
      return done(error(StatusCodes.BAD_REQUEST, "a job is a JSON object {\"id\": \"...\", \"type\": \"...\", \"inputs\": [...]}"));
    }
    JsonNode id = job.get("id");
    JsonNode typeName = job.get("type");
    JsonNode inputs = job.get("inputs");
    if (id == null || !id.isTextual()) return done(error(StatusCodes.BAD_REQUEST, "the job needs \"id\": a string (1-200 letters, digits or . _ - :)"));
    if (typeName == null || !typeName.isTextual()) return done(error(StatusCodes.BAD_REQUEST, "the job needs \"type\": the name of a task type"));
    if (inputs == null || !inputs.isArray()) return done(error(StatusCodes.BAD_REQUEST, "the job needs \"inputs\": an array of the type's inputs"));
    String jobId = id.asText();
    if (!JOB_ID.matcher(jobId).matches() || jobId.equals(".") || jobId.equals("..")) {
      return done(error(StatusCodes.BAD_REQUEST, "job id '" + (jobId.length() > 60 ? jobId.substring(0, 60) + "..." : jobId)
          + "' is not valid: " + JOB_ID_RULE));
    }
    TaskType type = types.find(typeName.asText());
    if (type == null) return done(unknownType(typeName.asText()));
    List<Object> values = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      Object value;
      try {
        value = inputs.get(i).isNull() ? null : json.treeToValue(inputs.get(i), json.constructType(type.input().type()));
      } catch (JsonProcessingException e) {
        return done(error(StatusCodes.BAD_REQUEST, "input " + i + " is not an input of task type '" + type.name() + "' ("
            + type.input().simpleName() + "): " + JsonInputs.problem(e, inputs.get(i))));
      }
      if (value == null) return done(error(StatusCodes.BAD_REQUEST, "input " + i + " is null; task type '" + type.name() + "' needs an input"));
      values.add(value);
    }
    CompletionStage<JobStatus> submitted = within(jobs.submit(jobId, type, values));
    return answer(submitted, StatusCodes.ACCEPTED)
        .thenApply(response -> response.status().equals(StatusCodes.ACCEPTED) ? response.addHeader(Location.create("/v1/jobs/" + jobId)) : response);
  }

  /** The results, if the job has finished: its status first, so that a running job is answered at once. */
  private CompletionStage<HttpResponse> results(String id) {
    return within(jobs.status(id).thenCompose(status -> {
      if (status.state() == JobState.RUNNING) {
        return done(error(StatusCodes.CONFLICT, "job " + id + " is running: " + status.completed() + " of " + status.total() + " done"));
      }
      if (status.compacted()) {
        return done(error(StatusCodes.GONE, "job " + id + " finished and its results were dropped after pel.jobs.retention; its status is kept"));
      }
      TaskType<?, ?> type = types.find(status.taskType());
      if (type == null) {
        return done(error(StatusCodes.NOT_FOUND, "job " + id + " runs task type '" + status.taskType() + "', which this service does not serve"));
      }
      // Bounded itself too: the results' asks go on until their own stage is done.
      return within(jobs.results(id, type)).thenApply(this::ndjson);
    })).exceptionally(this::failure);
  }

  /**
   * {@code stage}, failed with a {@link TimeoutException} past {@link HttpSettings#askTimeout()}: a job's
   * coordinator that is recovering on another node gets a 503 with Retry-After before the request times out.
   */
  private <T> CompletableFuture<T> within(CompletionStage<T> stage) {
    return stage.toCompletableFuture().orTimeout(settings.askTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private HttpResponse ndjson(List<? extends TaskOutcome<?>> outcomes) {
    Source<ByteString, ?> lines = Source.from(() -> IntStream.range(0, outcomes.size()).iterator()).map(i -> {
      TaskOutcome<?> outcome = outcomes.get(i);
      ObjectNode line = json.createObjectNode();
      line.put("index", i);
      if (outcome.succeeded()) {
        try {
          line.set("result", json.valueToTree(outcome.result()));
        } catch (IllegalArgumentException e) {
          line.put("error", "the result of input " + i + " (a " + outcome.result().getClass().getSimpleName() + ") cannot be written as JSON");
        }
      } else {
        line.put("error", ErrorText.of(outcome.failure()));
      }
      return ByteString.fromArray(json.writeValueAsBytes(line)).concat(ByteString.fromString("\n"));
    });
    return HttpResponse.create().withEntity(HttpEntities.createChunked(StreamRoute.NDJSON, lines));
  }

  /** The status as {@code status} on success; a failure as its HTTP answer. */
  private CompletionStage<HttpResponse> answer(CompletionStage<JobStatus> job, StatusCode status) {
    return job.thenApply(s -> responses.jsonResponse(status, statusJson(s))).exceptionally(this::failure);
  }

  ObjectNode statusJson(JobStatus status) {
    ObjectNode node = json.createObjectNode();
    node.put("id", status.jobId());
    node.put("type", status.taskType());
    node.put("state", switch (status.state()) {
      case RUNNING -> "running";
      case COMPLETED -> status.failed() > 0 ? "failed" : "completed";
      case CANCELLED -> "cancelled";
    });
    node.put("done", status.completed());
    node.put("total", status.total());
    node.put("failed", status.failed());
    node.put("node", status.node());
    if (status.compacted()) node.put("compacted", true);
    return node;
  }

  /** A failed call on {@link Jobs} as its HTTP answer. */
  HttpResponse failure(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof UnknownJobException) return error(StatusCodes.NOT_FOUND, ErrorText.of(cause));
    if (cause instanceof JobConflictException) return error(StatusCodes.CONFLICT, ErrorText.of(cause));
    if (cause instanceof UnknownTaskTypeException unknown) return unknownType(unknown.taskType());
    if (cause instanceof IllegalArgumentException) return error(StatusCodes.BAD_REQUEST, ErrorText.of(cause));
    if (cause instanceof TimeoutException) {
      return Unavailable.because(responses, json, "the job's coordinator did not answer within " + settings.askTimeout().toMillis()
          + " ms (three quarters of pel.http.request-timeout): it may be starting on another node after its own left; try again");
    }
    if (cause instanceof JobStoreException || cause instanceof IllegalStateException) {
      return Unavailable.because(responses, json, ErrorText.of(cause));
    }
    return error(StatusCodes.INTERNAL_SERVER_ERROR, "the request failed: " + ErrorText.of(cause));
  }

  private HttpResponse unknownType(String name) {
    ObjectNode body = json.createObjectNode();
    body.put("error", "unknown task type '" + name + "'");
    body.set("types", json.valueToTree(types.names()));
    return responses.jsonResponse(StatusCodes.NOT_FOUND, body);
  }

  private HttpResponse tooLarge(String what) {
    return error(StatusCodes.PAYLOAD_TOO_LARGE, "the body " + what + "; at most pel.http.max-job-size = " + settings.maxJobBytes() + " bytes");
  }

  private HttpResponse error(StatusCode status, String message) {
    ObjectNode body = json.createObjectNode();
    body.put("error", message);
    return responses.jsonResponse(status, body);
  }

  private static CompletionStage<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
    return t;
  }
}
