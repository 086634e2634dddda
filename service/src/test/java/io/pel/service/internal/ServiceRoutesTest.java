package io.pel.service.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.pel.actors.ExecutionLayer;
import io.pel.service.HttpSettings;
import io.pel.service.ServiceTypes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import scala.concurrent.duration.FiniteDuration;

/**
 * The service's answers when it cannot answer in time: the server's request timeout and a job route whose
 * coordinator did not answer are both 503 with Retry-After and the service's JSON error, and the route's
 * deadline comes first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceRoutesTest {

  private static final HttpSettings SETTINGS =
      new HttpSettings("127.0.0.1", 0, "", 1 << 20, 1 << 20, 4, 16, 16 << 20).withRequestTimeout(Duration.ofSeconds(1));
  private final ObjectMapper json = new ObjectMapper();
  private ExecutionLayer layer;
  private ServiceRoutes routes;
  private JobRoutes jobRoutes;

  @BeforeAll
  void start(@TempDir Path dataDir) {
    layer = ExecutionLayer.start(ConfigFactory.parseString("pel.workers-per-node = 1")
        .withValue("pel.data-dir", ConfigValueFactory.fromAnyRef(dataDir.toString())));
    ServiceTypes types = ServiceTypes.of(layer, new Sha256Module());
    routes = new ServiceRoutes(layer, types, layer.jobs(), SETTINGS);
    StreamRoute streams = new StreamRoute(layer, types, SETTINGS, json, null, System::nanoTime);
    jobRoutes = new JobRoutes(layer, layer.jobs(), types, SETTINGS, json, streams);
  }

  @AfterAll
  void stop() {
    layer.close();
  }

  private JsonNode unavailable(HttpResponse response) throws Exception {
    assertEquals(503, response.status().intValue());
    assertEquals("application/json", response.entity().getContentType().mediaType().toString());
    assertEquals(Long.toString(Unavailable.RETRY_AFTER_SECONDS), response.getHeader("Retry-After").orElseThrow().value());
    return json.readTree(((HttpEntity.Strict) response.entity()).getData().utf8String());
  }

  @Test
  void theRoutesGiveUpOnTheLayerAQuarterOfTheRequestTimeoutBeforeTheServerDoes() {
    assertEquals(Duration.ofMillis(750), SETTINGS.askTimeout());
  }

  @Test
  void aRequestTheServerTimedOutGetsTheServicesJsonError() throws Exception {
    assertEquals("the service did not answer within pel.http.request-timeout = 1000 ms; try again",
        unavailable(routes.requestTimedOut()).get("error").asText());
  }

  @Test
  void theServerAnswersARequestItTimedOutWithTheServicesJsonError() throws Exception {
    // A route that never answers, behind the service's handler, on a server with the service's timeout.
    FiniteDuration timeout = FiniteDuration.create(SETTINGS.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    ServerBinding binding = Http.get(layer.system()).newServerAt("127.0.0.1", 0)
        .adaptSettings(server -> server.withTimeouts(server.getTimeouts().withRequestTimeout(timeout)))
        .bind(routes.answeredInTime(() -> routes.completeWithFuture(new CompletableFuture<>())))
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    try {
      java.net.http.HttpResponse<String> answer = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + "/v1/anything"))
              .timeout(Duration.ofSeconds(30)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(503, answer.statusCode(), answer.body());
      assertEquals("5", answer.headers().firstValue("Retry-After").orElse(""));
      assertEquals("application/json", answer.headers().firstValue("Content-Type").orElse(""));
      assertEquals("the service did not answer within pel.http.request-timeout = 1000 ms; try again",
          json.readTree(answer.body()).get("error").asText());
    } finally {
      binding.unbind().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aCoordinatorThatDidNotAnswerInTimeIsA503WithRetryAfter() throws Exception {
    JsonNode body = unavailable(jobRoutes.failure(new CompletionException(new TimeoutException())));
    assertEquals("the job's coordinator did not answer within 750 ms (three quarters of pel.http.request-timeout): "
        + "it may be starting on another node after its own left; try again", body.get("error").asText());
  }

  @Test
  void aCoordinatorThatAnsweredItIsUnavailableIsA503WithRetryAfter() throws Exception {
    assertEquals("no job store", unavailable(jobRoutes.failure(new IllegalStateException("no job store"))).get("error").asText());
  }
}
