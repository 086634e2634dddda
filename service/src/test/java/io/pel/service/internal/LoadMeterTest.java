package io.pel.service.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.actors.NodeLoad;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The node's load over a sliding window, on a clock the test drives. */
class LoadMeterTest {

  private static final long SECOND = 1_000_000_000L;
  private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
  private long busy;
  private long completed;
  private int waiting;

  private final LoadMeter meter = new LoadMeter(now -> new NodeLoad(now, busy, completed, 2, waiting), clock::get, java.time.Duration.ofSeconds(60));

  /** {@code seconds} pass with both routees busy for {@code share} of them, completing {@code perSecond}. */
  private void run(int seconds, double share, int perSecond) {
    clock.addAndGet(seconds * SECOND);
    busy += (long) (2 * seconds * SECOND * share);
    completed += (long) seconds * perSecond;
    meter.sample();
  }

  @Test
  void twoReadingsGiveBusyFractionRatesAndTheTrueRate() {
    assertEquals(Optional.empty(), meter.window(), "one reading is no window");
    meter.sample();
    run(5, 0.5, 1000);
    NodeLoad.Window w = meter.window().orElseThrow();
    assertEquals(5.0, w.seconds(), 1e-9);
    assertEquals(0.5, w.busyFraction(), 1e-9);
    assertEquals(1000, w.completedPerSecond(), 1e-9);
    assertEquals(2000, w.trueRatePerSecond(), 1e-9, "half busy at 1,000/s: 2,000/s if always busy");
  }

  @Test
  void theWindowSlidesAndForgetsWhatIsOlderThanASixtySecondSpan() {
    meter.sample();
    for (int i = 0; i < 12; i++) run(5, 1.0, 400); // a minute flat out
    for (int i = 0; i < 12; i++) run(5, 0.1, 40); // then a quiet minute
    NodeLoad.Window w = meter.window().orElseThrow();
    assertEquals(60.0, w.seconds(), 1e-9, "the last minute only");
    assertEquals(0.1, w.busyFraction(), 1e-9);
    assertEquals(40, w.completedPerSecond(), 1e-9);
  }

  @Test
  void anIdleNodeHasNoTrueRateAndWaitingTasksShow() {
    meter.sample();
    waiting = 17;
    run(5, 0, 0);
    NodeLoad.Window w = meter.window().orElseThrow();
    assertEquals(0, w.busyFraction());
    assertEquals(0, w.trueRatePerSecond());
    assertEquals(17, w.waiting());
    assertTrue(w.routees() == 2);
  }
}
