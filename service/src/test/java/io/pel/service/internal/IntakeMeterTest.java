package io.pel.service.internal;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The slow-client rules on a clock the test moves: no real time passes. */
class IntakeMeterTest {

  private static final long MS = 1_000_000;

  @Test
  void waitingTheIdleTimeoutForOneByteEndsTheStreamNamingTheRule() {
    IntakeMeter meter = new IntakeMeter(Duration.ofMillis(500), 0, Duration.ofMillis(100));
    meter.waiting(0);
    assertNull(meter.verdict(499 * MS));
    meter.received(499 * MS, 1);
    meter.waiting(499 * MS);
    assertNull(meter.verdict(998 * MS), "the idle time starts again with each byte");
    String why = meter.verdict(999 * MS);
    assertTrue(why != null && why.contains("no bytes of the body came for 500 ms") && why.contains("pel.http.stream-idle-timeout = 500 ms"), why);
  }

  @Test
  void timeTheStreamDoesNotWaitForTheBodyIsNotTheClientsFault() {
    IntakeMeter meter = new IntakeMeter(Duration.ofMillis(500), 1000, Duration.ofMillis(100));
    meter.waiting(0);
    meter.received(10 * MS, 100); // 100 bytes in 10 ms of waiting
    // The stream's tasks are busy for a minute: it does not ask for more.
    assertNull(meter.verdict(60_000 * MS));
    meter.waiting(60_000 * MS);
    assertNull(meter.verdict(60_050 * MS), "60 ms of waiting in the window so far");
  }

  @Test
  void aBodySlowerThanTheMinimumOverAWindowOfWaitingEndsTheStream() {
    IntakeMeter meter = new IntakeMeter(Duration.ofSeconds(60), 100, Duration.ofSeconds(10));
    long now = 0;
    for (int i = 0; i < 9; i++) { // a byte a second: 9 bytes over 10 s, a tenth of the minimum
      meter.waiting(now);
      now += 1000 * MS;
      meter.received(now, 1);
      assertNull(meter.verdict(now));
    }
    meter.waiting(now);
    String why = meter.verdict(now + 1000 * MS);
    assertTrue(why != null && why.contains("the body came at 1 bytes/s over 10000 ms of waiting")
        && why.contains("pel.http.stream-min-bytes-per-second = 100") && why.contains("pel.http.stream-rate-window = 10000 ms"), why);
  }

  @Test
  void aWindowThatBroughtEnoughStartsTheNextAfresh() {
    IntakeMeter meter = new IntakeMeter(Duration.ofSeconds(60), 100, Duration.ofSeconds(1));
    meter.waiting(0);
    meter.received(900 * MS, 100);
    meter.waiting(900 * MS);
    assertNull(meter.verdict(1000 * MS), "100 bytes in 1 s: the minimum");
    meter.received(1500 * MS, 60);
    meter.waiting(1500 * MS);
    assertNull(meter.verdict(1900 * MS));
    String why = meter.verdict(2000 * MS);
    assertTrue(why != null && why.contains("60 bytes/s"), "the second window brought 60 bytes: " + why);
  }

  @Test
  void noMinimumRateLeavesOnlyTheIdleRule() {
    IntakeMeter meter = new IntakeMeter(Duration.ofSeconds(5), 0, Duration.ofMillis(100));
    long now = 0;
    for (int i = 0; i < 100; i++) {
      meter.waiting(now);
      now += 4000 * MS;
      meter.received(now, 1);
      assertNull(meter.verdict(now));
    }
    meter.waiting(now);
    assertTrue(meter.verdict(now + 5000 * MS).contains("pel.http.stream-idle-timeout"));
  }

  @Test
  void anEndedBodyIsNotWaitedFor() {
    IntakeMeter meter = new IntakeMeter(Duration.ofMillis(100), 1000, Duration.ofMillis(100));
    meter.waiting(0);
    meter.received(1 * MS, 1000);
    meter.waiting(1 * MS);
    meter.ended();
    assertNull(meter.verdict(10_000 * MS));
  }
}
