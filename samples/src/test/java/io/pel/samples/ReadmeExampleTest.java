package io.pel.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pel.actors.ExecutionLayer;
import io.pel.actors.Jobs;
import io.pel.actors.TaskOutcome;
import io.pel.actors.TaskType;
import io.pel.actors.TypeRef;
import io.pel.streams.Aggregators;
import io.pel.streams.KeyedAggregate;
import io.pel.streams.KeyedAggregation;
import io.pel.streams.ParallelFlow;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of README.md, verbatim between the markers, so that they keep compiling and working. */
class ReadmeExampleTest {

  @Test
  void readmeExampleRuns() {
    String out = printedBy(() -> {
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
    });
    assertTrue(out.lines().anyMatch("6 words"::equals), out);
  }

  @Test
  void readmeGenericTypesExampleRuns() {
    String out = printedBy(() -> {
      // README generic types example begins
      TaskType<List<String>, Map<String, Long>> countWords = TaskType.of("count-words",
          new TypeRef<List<String>>() {}, new TypeRef<Map<String, Long>>() {});

      try (ExecutionLayer layer = ExecutionLayer.start()) {
        layer.register(countWords, (words, ctx) -> words.stream()
            .collect(Collectors.groupingBy(word -> word, TreeMap::new, Collectors.counting())));
        Map<String, Long> counts = layer.submit(countWords, List.of("to", "be", "or", "not", "to", "be"))
            .toCompletableFuture().join();
        System.out.println(counts); // {be=2, not=1, or=1, to=2}
      }
      // README generic types example ends
    });
    assertTrue(out.lines().anyMatch("{be=2, not=1, or=1, to=2}"::equals), out);
  }

  @Test
  void readmeStreamsExampleRuns() {
    String out = printedBy(() -> {
      // README streams example begins
      TaskType<String, Integer> score = TaskType.of("score", String.class, Integer.class);

      try (ExecutionLayer layer = ExecutionLayer.start()) {
        layer.register(score, (text, ctx) -> text.length());

        // Each element runs as a task on the routees; output keeps input order. Nothing to tune.
        List<Integer> scores = Source.from(List.of("a", "bb", "ccc"))
            .via(ParallelFlow.of(layer, score).flow())
            .runWith(Sink.seq(), layer.system())
            .toCompletableFuture().join();
        System.out.println(scores); // [1, 2, 3]
      }
      // README streams example ends
    });
    assertTrue(out.lines().anyMatch("[1, 2, 3]"::equals), out);
  }

  @Test
  void readmeWordCountExampleRuns() {
    String out = printedBy(() -> {
      // README word count example begins
      try (ExecutionLayer layer = ExecutionLayer.start()) {
        KeyedAggregation<String, String, Long> wordCount = KeyedAggregation.named("word-count", String.class)
            .flatMap(line -> List.of(line.split(" ")))  // runs on the routees
            .groupingKey(word -> word)
            .aggregate(Aggregators.counting())          // combined on the routees, by PEL
            .register(layer);
        Map<String, Long> counts = Source.from(List.of("to be or", "not to be")).via(wordCount.flow(layer))
            .runWith(KeyedAggregate.toMap(), layer.system()).toCompletableFuture().join();
        System.out.println(new TreeMap<>(counts)); // {be=2, not=1, or=1, to=2}
      }
      // README word count example ends
    });
    assertTrue(out.lines().anyMatch("{be=2, not=1, or=1, to=2}"::equals), out);
  }

  @Test
  void readmeJobsExampleRuns(@TempDir Path dataDir) {
    System.setProperty("pel.data-dir", dataDir.toString());
    ConfigFactory.invalidateCaches();
    String out;
    try {
      out = printedBy(() -> {
      // README jobs example begins
      TaskType<Long, Long> square = TaskType.of("square", Long.class, Long.class);

      try (ExecutionLayer layer = ExecutionLayer.start()) {
        layer.register(square, (n, ctx) -> n * n);
        // Opens the job store (./pel-data/pel-jobs.mv.db by default); unfinished jobs resume from here.
        Jobs jobs = layer.jobs();

        // Completes once the job is in the store: from then on it survives a crash.
        jobs.submit("squares-1", square, List.of(1L, 2L, 3L)).toCompletableFuture().join();

        // Completes when every task has its outcome; outcomes in input order.
        List<TaskOutcome<Long>> outcomes = jobs.results("squares-1", square).toCompletableFuture().join();
        System.out.println(outcomes.stream().map(TaskOutcome::result).toList()); // [1, 4, 9]
      }
      // README jobs example ends
      });
    } finally {
      System.clearProperty("pel.data-dir");
      ConfigFactory.invalidateCaches();
    }
    assertTrue(out.lines().anyMatch("[1, 4, 9]"::equals), out);
  }

  /** What {@code example} prints on standard output while it runs. */
  private static String printedBy(Runnable example) {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      example.run();
    } finally {
      System.setOut(stdout);
    }
    return printed.toString(StandardCharsets.UTF_8);
  }

  /** Each example above appears in README.md line for line (indentation aside). */
  @Test
  void theExamplesAreTheReadmesOwn() throws IOException {
    String readme = strip(Files.readString(Path.of("..", "README.md")));
    List<String> source = Files.readAllLines(Path.of("src/test/java/io/pel/samples/ReadmeExampleTest.java"));
    int examples = 0;
    for (int i = 0; i < source.size(); i++) {
      if (!source.get(i).strip().matches("// README.* begins")) continue;
      StringBuilder block = new StringBuilder();
      for (int j = i + 1; !source.get(j).strip().matches("// README.* ends"); j++) block.append(source.get(j)).append('\n');
      assertTrue(readme.contains(strip(block.toString())), "README.md lacks the example after line " + (i + 1) + ":\n" + block);
      examples++;
    }
    assertEquals(5, examples);
  }

  private static String strip(String text) {
    return text.lines().map(String::strip).collect(Collectors.joining("\n"));
  }
}
