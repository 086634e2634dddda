package io.pel.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.TaskType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The embedded example of README.md, verbatim between the markers, so that it keeps compiling and working. */
class ReadmeExampleTest {

  @Test
  void readmeExampleRuns() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      // README example begins
      TaskType<String, Integer> wordCount = TaskType.of("word-count", String.class, Integer.class);

      try (ExecutionLayer layer = ExecutionLayer.start()) {
        // A handler is plain Java; it runs on PEL's worker routees, never on the caller's thread.
        layer.register(wordCount, (text, ctx) -> text.split("\\s+").length);

        // submit returns at once; join waits for the one result (or a TaskFailedException).
        int words = layer.submit(wordCount, "to be or not to be").toCompletableFuture().join();
        System.out.println(words + " words"); // 6 words
      }
      // README example ends
    } finally {
      System.setOut(stdout);
    }
    String out = printed.toString(StandardCharsets.UTF_8);
    assertTrue(out.lines().anyMatch("6 words"::equals), out);
  }
}
