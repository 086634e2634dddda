package io.pel.samples.wordcount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.actors.ExecutionLayer;
import io.pel.samples.MainRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wordcount sample counts exactly what a single-threaded count finds, and its command line is strict. */
class WordCountTest {

  /** Words, as the sample defines them, written independently of the sample's tokenizer: by regex. */
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{Nd}]+");

  private static final String[] VOCABULARY = {
      "the", "The", "THE", "of", "and", "PEL", "pekko", "actor2actor", "2026", "x", "Straße", "ÉCOLE", "école",
      "naïve", "Ωμέγα", "日本語", "Don't", "stop-2-stop", "e-mail", "𝔘nicode", "İstanbul", "ﬁle"};
  private static final String[] SEPARATORS = {" ", "  ", "\n", ", ", ". ", "\t", " — ", " 🙂 ", "!\n", "\"", " (", ") "};

  private static String generatedText(long seed, int words) {
    Random random = new Random(seed);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < words; i++) {
      // Zipf-like: low indexes far more often.
      int index = (int) Math.min(VOCABULARY.length - 1, Math.floor(Math.pow(random.nextDouble(), 3) * VOCABULARY.length));
      text.append(random.nextInt(50) == 0 ? "w" + random.nextInt(5000) : VOCABULARY[index]);
      text.append(SEPARATORS[random.nextInt(SEPARATORS.length)]);
    }
    return text.toString();
  }

  private static Map<String, Long> singleThreaded(String text) {
    Map<String, Long> counts = new HashMap<>();
    Matcher m = WORD.matcher(text);
    while (m.find()) counts.merge(m.group().toLowerCase(Locale.ROOT), 1L, Long::sum);
    return counts;
  }

  @Test
  void countsEqualASingleThreadedCountOnGeneratedText() throws Exception {
    String text = generatedText(42, 400_000);
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    Map<String, Long> expected = singleThreaded(text);
    try (ExecutionLayer layer = ExecutionLayer.start()) {
      WordCount.register(layer);
      // Small upstream pieces and small chunks: many cuts, some next to multi-byte characters.
      Source<ByteString, ?> source = Source.range(0, (utf8.length - 1) / 997)
          .map(i -> ByteString.fromArray(utf8, i * 997, Math.min(997, utf8.length - i * 997)));
      WordCount.Result result = WordCount.run(layer, source, 4096).toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertEquals(expected, result.counts());
      assertEquals(400_000 + expected.getOrDefault("t", 0L) + expected.getOrDefault("2", 0L)
          + expected.getOrDefault("stop", 0L) / 2 + expected.getOrDefault("mail", 0L), result.words(),
          "don't, stop-2-stop and e-mail are several words each");
      assertEquals(utf8.length, result.bytes());
    }
  }

  @Test
  void theRuleSplitsOnEverythingButLettersAndDigitsAndLowerCases() {
    assertEquals(Map.of("don", 1L, "t", 1L, "stop", 2L, "2", 1L), Words.count("Don't stop-2-stop"));
    assertEquals(Map.of("straße", 1L, "école", 2L), Words.count("Straße ÉCOLE,école"));
    assertEquals(Map.of("𝔘nicode", 1L), Words.count("🙂𝔘nicode🙂"));
    assertEquals(Map.of(), Words.count(" \n—!? "));
  }

  @Test
  void theSamplePrintsTheTopWordsTotalsAndThroughputOfAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("text.txt");
    Files.writeString(file, "b a c a b a\nB, A!", StandardCharsets.UTF_8);
    MainRun run = MainRun.of("wordcount", file.toString());
    assertEquals(0, run.code(), run.err());
    List<String> lines = run.out().lines().toList();
    assertTrue(lines.get(1).matches("\\s+1\\s+a\\s+4"), lines.get(1));
    assertTrue(lines.get(2).matches("\\s+2\\s+b\\s+3"), lines.get(2));
    assertTrue(lines.get(3).matches("\\s+3\\s+c\\s+1"), lines.get(3));
    assertTrue(lines.get(4).startsWith("words 8   distinct 3   "), lines.get(4));
    assertTrue(lines.get(4).endsWith(" MB/s"), lines.get(4));
  }

  @Test
  void aMissingOrUnreadableFileIsAClearErrorWithExitCode2(@TempDir Path dir) {
    MainRun missing = MainRun.of("wordcount", dir.resolve("nope.txt").toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().startsWith("pel run wordcount: cannot read '" + dir.resolve("nope.txt") + "': no such file"), missing.err());
    MainRun directory = MainRun.of("wordcount", dir.toString());
    assertEquals(2, directory.code());
    assertTrue(directory.err().contains("it is a directory"), directory.err());
    MainRun extra = MainRun.of("wordcount", "a.txt", "b.txt");
    assertEquals(2, extra.code());
    assertTrue(extra.err().contains("expected at most one FILE, got 2 arguments"), extra.err());
  }

  @Test
  void helpDocumentsTheWordRule() {
    MainRun help = MainRun.of("wordcount", "--help");
    assertEquals(0, help.code());
    assertTrue(help.out().contains("A word is a maximal run of Unicode letters and digits, lower-cased"), help.out());
  }
}
