package io.pel.service.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;

/**
 * The service's answer when it cannot serve a request now: {@code 503}, {@code Retry-After} and the JSON
 * error {@code {"error": "<why>"}}. Given for a node that is not ready ({@link Readiness}), a route whose
 * wait for the layer ran out ({@link io.pel.service.HttpSettings#askTimeout()}), and a request the server
 * timed out ({@link io.pel.service.HttpSettings#requestTimeout()}).
 */
final class Unavailable {

  /**
   * Seconds a client should wait before it tries again: long enough for a failure detector to decide and
   * a coordinator to start elsewhere, short against the split-brain resolver's 20 s.
   */
  static final long RETRY_AFTER_SECONDS = 5;

  private Unavailable() {}

  /** {@code 503} saying {@code why}, with {@code Retry-After}. */
  static HttpResponse because(StreamRoute responses, ObjectMapper json, String why) {
    ObjectNode body = json.createObjectNode();
    body.put("error", why);
    return responses.jsonResponse(StatusCodes.SERVICE_UNAVAILABLE, body).addHeader(RetryAfter.create(RETRY_AFTER_SECONDS));
  }
}
