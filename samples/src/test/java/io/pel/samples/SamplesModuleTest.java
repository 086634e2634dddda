package io.pel.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.pel.actors.ExecutionLayer;
import io.pel.service.HttpService;
import io.pel.service.HttpSettings;
import io.pel.service.ServiceTypes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link SamplesModule} in the streaming service, found as {@code ./pel start} finds it: through the samples'
 * {@code META-INF/services/io.pel.service.TaskModule}, beside the service's built-in {@code sha256}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SamplesModuleTest {

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private ExecutionLayer layer;
  private HttpService service;

  @BeforeAll
  void start() {
    layer = ExecutionLayer.start(ConfigFactory.parseString("pel.workers-per-node = 2"));
    service = HttpService.start(layer, ServiceTypes.load(layer), null, new HttpSettings("127.0.0.1", 0, "", 1 << 20, 1 << 20, 4, 16, 16 << 20));
  }

  @AfterAll
  void stop() {
    layer.close();
  }

  private HttpResponse<String> stream(String type, String body) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(service.url() + "v1/streams/" + type)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private List<JsonNode> lines(HttpResponse<String> response) throws Exception {
    assertEquals(200, response.statusCode(), response.body());
    List<JsonNode> lines = new ArrayList<>();
    for (String line : response.body().split("\n")) lines.add(json.readTree(line));
    return lines;
  }

  @Test
  void theSamplesTypesAreServed() throws Exception {
    List<JsonNode> lines = lines(stream("tiny.increment", "1\n41\n"));
    assertEquals(2, lines.get(0).get("result").asLong());
    assertEquals(42, lines.get(1).get("result").asLong());

    // The primes below 20,000 (block 0 of jobs.count-primes).
    assertEquals(2262, lines(stream("jobs.count-primes", "0\n")).get(0).get("result").asLong());
  }

  @Test
  void anUnknownTypeIsAnsweredWithTheServiceAndSamplesTypes() throws Exception {
    HttpResponse<String> unknown = stream("no-such-type", "1\n");
    assertEquals(404, unknown.statusCode(), unknown.body());
    List<String> types = json.convertValue(json.readTree(unknown.body()).get("types"), new TypeReference<List<String>>() {});
    assertTrue(types.containsAll(List.of("sha256", "tiny.increment", "jobs.count-primes", "risk.var")), types.toString());
  }
}
