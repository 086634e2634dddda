package io.pel.service.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import io.pel.cluster.InvalidSettingException;
import io.pel.cluster.PelNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The recommended node count: up at once, down only after the window, on a clock the test drives. */
class ScaleAdvisorTest {

  private static final long SECOND = 1_000_000_000L;
  private final ScaleAdvisor.Settings settings = new ScaleAdvisor.Settings(0.7, Duration.ofSeconds(60), Duration.ofMinutes(5), 1, 10);

  /** {@code nodes} nodes each {@code busy} busy, each able to do 1,000 attempts/s when fully busy. */
  private static ScaleAdvisor.Load load(int nodes, double busy, long waiting) {
    return new ScaleAdvisor.Load(nodes, nodes * 1000 * busy, busy > 0 ? nodes * 1000 : 0, busy > 0 ? nodes : 0, waiting);
  }

  @Test
  void busierThanTheTargetAsksForMoreNodesAtOnce() {
    ScaleAdvisor advisor = new ScaleAdvisor(settings);
    assertEquals(3, advisor.recommend(0, load(2, 0.9, 0)), "2 x 0.9 of 1,000/s at 0.7 each: 1,800 / 700 -> 3");
    assertEquals(2, new ScaleAdvisor(settings).recommend(0, load(2, 0.7, 0)), "exactly at the target: as many as now");
  }

  @Test
  void waitingTasksAddTheirDrainToTheDemand() {
    // Half busy is 1,000/s on 2 nodes; 84,000 waiting over 60 s is 1,400/s more: 2,400 / 700 -> 4.
    assertEquals(4, new ScaleAdvisor(settings).recommend(0, load(2, 0.5, 84_000)));
    // Waiting and nothing measured yet (routees just started): one node more.
    assertEquals(3, new ScaleAdvisor(settings).recommend(0, new ScaleAdvisor.Load(2, 0, 0, 0, 500)));
  }

  @Test
  void itFallsOnlyOnceTheLowerRecommendationHasHeldForTheWindow() {
    ScaleAdvisor advisor = new ScaleAdvisor(settings);
    assertEquals(5, advisor.recommend(0, load(4, 0.85, 0)), "4 x 850/s at 700/node -> 5");
    assertEquals(5, advisor.recommend(10 * SECOND, load(5, 0.1, 0)), "the load fell; the window still holds the 5");
    assertEquals(5, advisor.recommend(299 * SECOND, load(5, 0.1, 0)));
    assertEquals(1, advisor.recommend(301 * SECOND, load(5, 0.1, 0)), "five minutes of low load: 500/s needs 1");
  }

  @Test
  void aNodeJustStartedDoesNotRecommendFewerNodesBeforeAWholeWindow() {
    ScaleAdvisor advisor = new ScaleAdvisor(settings);
    assertEquals(4, advisor.recommend(0, load(4, 0.05, 0)));
    assertEquals(4, advisor.recommend(299 * SECOND, load(4, 0.05, 0)));
    assertEquals(1, advisor.recommend(301 * SECOND, load(4, 0.05, 0)));
  }

  @Test
  void aTrickleOfTasksDoesNotKeepTheClusterLarge() {
    ScaleAdvisor advisor = new ScaleAdvisor(settings);
    advisor.recommend(0, load(6, 0.9, 0));
    int last = 0;
    for (long s = 1; s <= 400; s += 5) last = advisor.recommend(s * SECOND, load(6, 0.002, 0)); // a task now and then
    assertEquals(1, last, "the trickle's own recommendations are low, so the window lets the count fall");
  }

  @Test
  void anIdleClusterAsksForItsMinimumAndTheBoundsHold() {
    ScaleAdvisor.Settings bounded = new ScaleAdvisor.Settings(0.7, Duration.ofSeconds(60), Duration.ofSeconds(1), 2, 4);
    ScaleAdvisor idle = new ScaleAdvisor(bounded);
    assertEquals(3, idle.recommend(0, load(3, 0, 0)), "no fewer than now before a whole window was seen");
    assertEquals(2, idle.recommend(2 * SECOND, load(3, 0, 0)), "then the minimum");
    assertEquals(4, new ScaleAdvisor(bounded).recommend(0, load(3, 1.0, 1_000_000)), "capped at max-nodes");
  }

  @Test
  void theSettingsComeFromReferenceConfAndBadOnesNameTheirKey() {
    ScaleAdvisor.Settings defaults = ScaleAdvisor.Settings.fromConfig(PelNode.config(ConfigFactory.empty(), Map.of()));
    assertEquals(new ScaleAdvisor.Settings(0.7, Duration.ofSeconds(60), Duration.ofMinutes(5), 1, 100), defaults);
    assertKey("pel.autoscale.target-utilisation", "pel.autoscale.target-utilisation = 1.5");
    assertKey("pel.autoscale.target-utilisation", "pel.autoscale.target-utilisation = 0");
    assertKey("pel.autoscale.min-nodes", "pel.autoscale.min-nodes = 0");
    assertKey("pel.autoscale.max-nodes", "pel.autoscale.min-nodes = 5\npel.autoscale.max-nodes = 3");
    assertKey("pel.autoscale.scale-down-window", "pel.autoscale.scale-down-window = -1s");
    assertKey("pel.autoscale.backlog-drain-time", "pel.autoscale.backlog-drain-time = soon");
    assertKey("pel.autoscale.sample-interval", "pel.autoscale.sample-interval = 60s");
    assertKey("pel.autoscale.load-window", "pel.autoscale.load-window = 0s");
  }

  private static void assertKey(String key, String hocon) {
    InvalidSettingException e = assertThrows(InvalidSettingException.class,
        () -> ScaleAdvisor.Settings.fromConfig(PelNode.config(ConfigFactory.parseString(hocon), Map.of())));
    assertEquals(key, e.setting(), e.getMessage());
  }
}
