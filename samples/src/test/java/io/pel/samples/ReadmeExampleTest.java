package io.pel.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.TaskType;
import io.pel.streams.ParallelFlow;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.Test;

/** The examples of README.md, verbatim between the markers, so that they keep compiling and working. */
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

  @Test
  void readmeStreamsExampleRuns() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      // README streams example begins
      TaskType<String, Integer> score = TaskType.of("score", String.class, Integer.class);

      try (ExecutionLayer layer = ExecutionLayer.start()) {
        layer.register(score, (text, ctx) -> text.length());

        // Each element runs as a task; at most 8 batches of up to 64 elements are in flight; output keeps input order.
        List<Integer> scores = Source.from(List.of("a", "bb", "ccc"))
            .via(ParallelFlow.of(layer, score).parallelism(8).batched(64, Duration.ofMillis(5)).flow())
            .runWith(Sink.seq(), layer.system())
            .toCompletableFuture().join();
        System.out.println(scores); // [1, 2, 3]
      }
      // README streams example ends
    } finally {
      System.setOut(stdout);
    }
    String out = printed.toString(StandardCharsets.UTF_8);
    assertTrue(out.lines().anyMatch("[1, 2, 3]"::equals), out);
  }
}
