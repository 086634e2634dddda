package io.pel.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.TaskType;
import org.junit.jupiter.api.Test;

/** The embedded example of README.md, verbatim between the markers, so that it keeps compiling and working. */
class ReadmeExampleTest {

  @Test
  void readmeExampleRuns() {
    int words;
    // README example begins
    TaskType<String, Integer> wordCount = TaskType.of("word-count", String.class, Integer.class);

    try (ExecutionLayer layer = ExecutionLayer.start()) {
      // A handler is plain Java; it runs on PEL's worker routees, never on the caller's thread.
      layer.register(wordCount, (text, ctx) -> text.split("\\s+").length);

      // submit returns at once; join waits for the one result (or a TaskFailedException).
      words = layer.submit(wordCount, "to be or not to be").toCompletableFuture().join();
      System.out.println(words + " words");
    }
    // README example ends
    assertEquals(6, words);
  }
}
