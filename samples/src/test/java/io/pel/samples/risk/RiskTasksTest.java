package io.pel.samples.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pel.actors.ExecutionLayer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RiskTasksTest {

  private static final int PATHS = 20_000;
  private static ExecutionLayer layer;

  @BeforeAll
  static void startLayer() {
    layer = ExecutionLayer.start(ConfigFactory.parseString("pel.workers-per-node = 2"));
    RiskTasks.register(layer);
  }

  @AfterAll
  static void closeLayer() {
    if (layer != null) layer.close();
  }

  private static VarResult onPel(VarRequest request) {
    return layer.submit(RiskTasks.VAR, request).toCompletableFuture().join();
  }

  @Test
  void pelAndSingleThreadedGiveIdenticalFigures() {
    VarRequest request = new VarRequest(7, PATHS, 150, Portfolio.sample());
    VarResult pel = onPel(request);
    VarResult single = RiskJob.runSequential(request);
    assertEquals(single, pel);
    assertTrue(pel.sameFigures(single));
    assertEquals(134, pel.chunks());
    assertEquals(200, pel.tailSize());
    assertTrue(pel.expectedShortfall() >= pel.valueAtRisk(), pel::toString);
  }

  @Test
  void theSameRequestTwiceGivesTheSameFigures() {
    VarResult a = onPel(new VarRequest(7, PATHS, 150, Portfolio.sample()));
    VarResult b = onPel(new VarRequest(7, PATHS, 150, Portfolio.sample()));
    assertTrue(a.sameFigures(b), "the same request twice on PEL");
  }

  @Test
  void differentSeedsGiveDifferentFigures() {
    VarResult a = onPel(new VarRequest(1, PATHS, 500, Portfolio.sample()));
    VarResult b = onPel(new VarRequest(2, PATHS, 500, Portfolio.sample()));
    assertNotEquals(a.valueAtRisk(), b.valueAtRisk());
    assertNotEquals(a.expectedShortfall(), b.expectedShortfall());
  }
}
