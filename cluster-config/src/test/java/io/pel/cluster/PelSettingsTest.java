package io.pel.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PelSettingsTest {

  private static PelSettings settings(String hocon) {
    return PelSettings.fromConfig(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve());
  }

  @Test
  void defaultsAreUsable() {
    PelSettings s = settings("");
    assertEquals(Runtime.getRuntime().availableProcessors(), s.workersPerNode());
    assertEquals(PelSettings.Routing.ADAPTIVE, s.routing());
    assertEquals(3, s.retry().maxAttempts());
    assertEquals(PelSettings.AUTO, s.maxInFlightPerWorker(), "auto: the supervisor sizes it per task type");
    assertEquals(s.workersPerNode() * PelSettings.AUTO_IN_FLIGHT_FLOOR + s.maxPendingPerNode(), s.admissionLimit());
    PelSettings strict = settings("pel.max-in-flight-per-worker = 4");
    assertEquals(4, strict.maxInFlightPerWorker());
    assertEquals(strict.workersPerNode() * 4 + strict.maxPendingPerNode(), strict.admissionLimit());
  }

  @Test
  void onlyANodeWithTheWorkerRoleRunsRoutees() {
    assertEquals(3, settings("pel.workers-per-node = 3\npel.node.roles = [worker, analytics]").workersPerNode());
    PelSettings client = settings("pel.workers-per-node = 3\npel.node.roles = [client]");
    assertEquals(0, client.workersPerNode());
    assertEquals(client.maxPendingPerNode(), client.admissionLimit());
    assertEquals(PelSettings.AUTO, settings("").maxInFlightPerRemoteWorker());
    assertEquals(256, settings("pel.max-in-flight-per-remote-worker = 256").maxInFlightPerRemoteWorker());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "pel.workers-per-node = lots           | pel.workers-per-node",
      "pel.workers-per-node = -1             | pel.workers-per-node",
      "pel.max-in-flight-per-worker = 0      | pel.max-in-flight-per-worker",
      "pel.max-in-flight-per-worker = most   | pel.max-in-flight-per-worker",
      "pel.max-in-flight-per-remote-worker = none | pel.max-in-flight-per-remote-worker",
      "pel.node.roles = 7                    | pel.node.roles",
      "pel.speculation.multiplier = 0.5      | pel.speculation.multiplier",
      "pel.speculation.floor = 0s            | pel.speculation.floor",
      "pel.speculation.max-in-flight = -1    | pel.speculation.max-in-flight",
      "pel.speculation.min-samples = 0       | pel.speculation.min-samples",
      "pel.speculation.all-types = maybe     | pel.speculation.all-types",
      "pel.max-pending-per-node = many       | pel.max-pending-per-node",
      "pel.task-timeout = 0s                 | pel.task-timeout",
      "pel.task-timeout = soon               | pel.task-timeout",
      "pel.routing.strategy = random         | pel.routing.strategy",
      "pel.routing.ewma-alpha = 1.5          | pel.routing.ewma-alpha",
      "pel.retry.max-attempts = 0            | pel.retry.max-attempts",
      "pel.retry.max-backoff = 1ms           | pel.retry.max-backoff",
      "pel.restart.random-factor = -1        | pel.restart.random-factor",
  })
  void aBadValueNamesItsKeyAndValue(String hocon, String key) {
    InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> settings(hocon));
    assertEquals(key, e.setting());
    String value = hocon.substring(hocon.indexOf('=') + 1).trim();
    assertTrue(e.getMessage().startsWith(key + " = '") && e.getMessage().contains(value), e.getMessage());
  }

  @Test
  void backoffDoublesUpToItsMaximumWithBoundedJitter() {
    PelSettings.Backoff b = new PelSettings.Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 0.5);
    assertEquals(Duration.ofMillis(100), b.delay(1, 0));
    assertEquals(Duration.ofMillis(200), b.delay(2, 0));
    assertEquals(Duration.ofMillis(800), b.delay(4, 0));
    assertEquals(Duration.ofSeconds(1), b.delay(30, 0));
    assertEquals(Duration.ofMillis(150), b.delay(1, 1.0));
  }
}
