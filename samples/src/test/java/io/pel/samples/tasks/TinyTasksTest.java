package io.pel.samples.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.actors.ExecutionLayer;
import io.pel.samples.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TinyTasksTest {

  @Test
  void everyTaskRunsExactlyOnceThroughABoundedWindow() throws Exception {
    try (ExecutionLayer layer = ExecutionLayer.start()) {
      TinyTasks.register(layer);
      TinyTasks.Result result = TinyTasks.run(layer, 50_000, 500);
      assertEquals(TinyTasks.expectedChecksum(50_000), result.checksum());
      assertEquals(50_000, layer.stats().succeeded());
      assertEquals(0, layer.stats().rejected(), "a window below the admission limit is never refused");
    }
  }

  @Test
  void badOptionsAreNamed() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertEquals(Main.USAGE, Main.run(new String[] {"tasks", "--count", "lots"}, out, errStream));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--count 'lots' is not a whole number"), err.toString(StandardCharsets.UTF_8));
    assertEquals(Main.USAGE, Main.run(new String[] {"tasks", "--window", "0"}, out, errStream));
    assertEquals(Main.USAGE, Main.run(new String[] {"tasks", "--speed"}, out, errStream));
  }
}
