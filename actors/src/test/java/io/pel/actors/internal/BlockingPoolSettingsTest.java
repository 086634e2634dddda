package io.pel.actors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pel.cluster.InvalidSettingException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BlockingPoolSettingsTest {

  private static BlockingPoolSettings read(String hocon) {
    return BlockingPoolSettings.fromConfig(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()));
  }

  @Test
  void theDefaults() {
    BlockingPoolSettings settings = read("");
    assertEquals(2, settings.minThreads());
    assertEquals(256, settings.maxThreads());
    assertEquals(192, settings.typeLimit());
    assertEquals(Duration.ofMillis(500), settings.sampleInterval());
    assertTrue(settings.enabled() && settings.detect());
  }

  @Test
  void maxThreadsZeroTurnsThePoolOff() {
    assertFalse(read("pel.blocking-pool { min-threads = 0, max-threads = 0 }").enabled());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "pel.blocking-pool.min-threads = 10, pel.blocking-pool.max-threads = 4 | pel.blocking-pool.min-threads | at most pel.blocking-pool.max-threads (4)",
      "pel.blocking-pool.min-threads = -1 | pel.blocking-pool.min-threads | >= 0",
      "pel.blocking-pool.max-threads = -5 | pel.blocking-pool.max-threads | >= 0",
      "pel.blocking-pool.max-threads = 100000 | pel.blocking-pool.max-threads | 0..4096",
      "pel.blocking-pool.max-threads = lots | pel.blocking-pool.max-threads | a whole number",
      "pel.blocking-pool.max-type-share = 0 | pel.blocking-pool.max-type-share | (0, 1]",
      "pel.blocking-pool.max-type-share = 1.5 | pel.blocking-pool.max-type-share | (0, 1]",
      "pel.blocking-pool.idle-period = -3s | pel.blocking-pool.idle-period | positive",
      "pel.blocking-pool.cooldown = soon | pel.blocking-pool.cooldown | a duration",
      "pel.blocking-pool.sample-interval = 0s | pel.blocking-pool.sample-interval | positive",
      "pel.blocking-pool.detect = maybe | pel.blocking-pool.detect | on or off",
  })
  void badSettingsAreNamedByKey(String hocon, String key, String expected) {
    InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> read(hocon.replace(", ", "\n")));
    assertTrue(e.getMessage().contains(key), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
