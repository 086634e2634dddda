package io.pel.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    assertThrows(InvalidSettingException.class, () -> new HttpSettings("h", 0, "", 1, 1, 1, 1, 1, Duration.ofMillis(999)));
  }
}
