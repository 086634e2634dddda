package io.pel.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pel.cluster.InvalidSettingException;
import io.pel.cluster.PelNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpSettingsTest {

  private static HttpSettings read(String hocon, Map<String, String> environment) {
    return HttpSettings.fromConfig(PelNode.config(ConfigFactory.parseString(hocon), environment), environment);
  }

  @Test
  void theDefaultsServeLoopbackOn8080WithLimitsOn() {
    HttpSettings settings = read("", Map.of());
    assertEquals("127.0.0.1", settings.host());
    assertEquals(8080, settings.port());
    assertEquals("", settings.token());
    assertEquals(1 << 20, settings.maxLineBytes());
    assertEquals(1L << 30, settings.maxBodyBytes());
    assertEquals(64, settings.maxStreams());
    assertEquals(4096, settings.parallelism());
    assertEquals(16L << 20, settings.bufferBytes());
    assertEquals(Duration.ofSeconds(10), settings.requestTimeout());
    assertEquals(Duration.ofMillis(7500), settings.askTimeout(), "three quarters of the request timeout");
    assertEquals(8 << 20, settings.maxJobBytes());
    assertEquals(16, settings.maxStreamsPerClient());
    assertEquals(Duration.ofSeconds(60), settings.streamIdleTimeout());
    assertEquals(100, settings.streamMinBytesPerSecond());
    assertEquals(Duration.ofSeconds(30), settings.streamRateWindow());
    assertEquals(settings, new HttpSettings("127.0.0.1", 8080, "", 1 << 20, 1L << 30, 64, 4096, 16L << 20),
        "the short constructor takes reference.conf's defaults for the rest");
    assertEquals("s3cret", read("", Map.of("PEL_HTTP_TOKEN", "s3cret")).token());
  }

  @Test
  void aBadValueNamesItsKeyOrVariable() {
    assertEquals("pel.http.max-line-size", assertThrows(InvalidSettingException.class, () -> read("pel.http.max-line-size = big", Map.of())).setting());
    assertEquals("pel.http.max-body-size", assertThrows(InvalidSettingException.class, () -> read("pel.http.max-body-size = 0", Map.of())).setting());
    assertEquals("pel.http.max-concurrent-streams",
        assertThrows(InvalidSettingException.class, () -> read("pel.http.max-concurrent-streams = 0", Map.of())).setting());
    assertEquals("pel.http.stream-buffer-size",
        assertThrows(InvalidSettingException.class, () -> read("pel.http.stream-buffer-size = 0", Map.of())).setting());
    assertEquals("pel.http.stream-buffer-size",
        assertThrows(InvalidSettingException.class, () -> read("pel.http.stream-buffer-size = lots", Map.of())).setting());
    assertEquals("pel.http.max-job-size", assertThrows(InvalidSettingException.class, () -> read("pel.http.max-job-size = 0", Map.of())).setting());
    assertEquals("pel.http.max-job-size", assertThrows(InvalidSettingException.class, () -> read("pel.http.max-job-size = 4 GiB", Map.of())).setting());
    assertEquals("pel.http.max-streams-per-client",
        assertThrows(InvalidSettingException.class, () -> read("pel.http.max-streams-per-client = 0", Map.of())).setting());
    InvalidSettingException overNode = assertThrows(InvalidSettingException.class,
        () -> read("pel.http.max-streams-per-client = 65", Map.of()));
    assertTrue(overNode.getMessage().contains("from 1 to pel.http.max-concurrent-streams = 64"), overNode.getMessage());
    assertEquals("pel.http.stream-idle-timeout",
        assertThrows(InvalidSettingException.class, () -> read("pel.http.stream-idle-timeout = 0s", Map.of())).setting());
    assertEquals("pel.http.stream-idle-timeout",
        assertThrows(InvalidSettingException.class, () -> read("pel.http.stream-idle-timeout = soon", Map.of())).setting());
    assertEquals("pel.http.stream-rate-window",
        assertThrows(InvalidSettingException.class, () -> read("pel.http.stream-rate-window = -1s", Map.of())).setting());
    InvalidSettingException negativeRate = assertThrows(InvalidSettingException.class,
        () -> read("pel.http.stream-min-bytes-per-second = -1", Map.of()));
    assertTrue(negativeRate.getMessage().contains("0 for no minimum"), negativeRate.getMessage());
    assertEquals("pel.http.stream-min-bytes-per-second",
        assertThrows(InvalidSettingException.class, () -> read("pel.http.stream-min-bytes-per-second = fast", Map.of())).setting());
    assertEquals(0, read("pel.http.stream-min-bytes-per-second = 0", Map.of()).streamMinBytesPerSecond(), "0: no minimum rate");
    assertEquals("pel.http.port", assertThrows(InvalidSettingException.class, () -> read("pel.http.port = -1", Map.of())).setting());
    assertEquals("PEL_HTTP_PORT", assertThrows(InvalidSettingException.class, () -> read("", Map.of("PEL_HTTP_PORT", "http"))).setting());
  }

  @Test
  void theRequestTimeoutIsFromOneSecondToBelowTheIdleTimeout() {
    assertEquals(Duration.ofSeconds(59), read("pel.http.request-timeout = 59s", Map.of()).requestTimeout());
    assertEquals(Duration.ofSeconds(1), read("pel.http.request-timeout = 1s", Map.of()).requestTimeout());
    assertEquals("pel.http.request-timeout = '500ms' is not valid: expected a duration from 1s to below pekko.http.server.idle-timeout = 60s",
        assertThrows(InvalidSettingException.class, () -> read("pel.http.request-timeout = 500ms", Map.of())).getMessage());
    assertEquals("pel.http.request-timeout = '60s' is not valid: expected a duration from 1s to below pekko.http.server.idle-timeout = 60s",
        assertThrows(InvalidSettingException.class, () -> read("pel.http.request-timeout = 60s", Map.of())).getMessage());
    assertEquals(Duration.ofMinutes(2),
        read("pel.http.request-timeout = 2m\npekko.http.server.idle-timeout = 5m", Map.of()).requestTimeout());
    assertEquals("pel.http.request-timeout",
        assertThrows(InvalidSettingException.class, () -> read("pel.http.request-timeout = soon", Map.of())).setting());
    assertThrows(InvalidSettingException.class, () -> new HttpSettings("h", 0, "", 1, 1, 1, 1, 1).withRequestTimeout(Duration.ofMillis(999)));
  }
}
