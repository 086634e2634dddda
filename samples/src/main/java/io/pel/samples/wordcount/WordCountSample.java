package io.pel.samples.wordcount;

import io.pel.actors.ExecutionLayer;
import io.pel.samples.Sample;
import io.pel.samples.Samples;
import io.pel.samples.UsageException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.apache.pekko.stream.javadsl.FileIO;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamConverters;
import org.apache.pekko.util.ByteString;

/**
 * {@code ./pel run wordcount [FILE]}: counts the words of a UTF-8 file (or of standard input) on an
 * embedded layer (or, as a client, on the cluster at {@code PEL_SEED_NODES}), and prints the 20 most
 * frequent with their counts, the total, and the throughput.
 */
public final class WordCountSample implements Sample {

  static final String USAGE = """
      usage: ./pel run wordcount [FILE]
        Counts the words of FILE (UTF-8; standard input when FILE is absent or '-') and prints the 20
        most frequent words with their counts, the total and distinct words, and MB/s.
        A word is a maximal run of Unicode letters and digits, lower-cased: every other character
        (space, punctuation, apostrophe, hyphen, symbol, emoji) separates words, so "Don't stop-2-stop"
        counts don, t, stop (twice) and 2.""";

  private static final int TOP = 20;

  @Override
  public String name() {
    return "wordcount";
  }

  @Override
  public String usage() {
    return USAGE;
  }

  @Override
  public int run(List<String> args, PrintStream out) throws UsageException {
    if (args.size() > 1) throw new UsageException("expected at most one FILE, got " + args.size() + " arguments");
    String file = args.isEmpty() ? "-" : args.get(0);
    if (file.startsWith("--")) throw new UsageException("unknown option '" + file + "'");
    Path path = file.equals("-") ? null : Path.of(file);
    if (path != null) checkReadable(path);
    try (ExecutionLayer layer = Samples.startForSample(out)) {
      Source<ByteString, ?> text = path == null
          ? StreamConverters.fromInputStream(() -> System.in)
          : FileIO.fromPath(path);
      WordCount.Result result = WordCount.run(layer, text, WordCount.DEFAULT_CHUNK_BYTES).toCompletableFuture().join();
      print(result, path == null ? "standard input" : path.toString(), layer.stats().routees(), out);
      Samples.printClusterSummary(layer, out);
      return 0;
    } catch (CompletionException e) {
      throw new IllegalStateException("reading " + file + " failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  private static void checkReadable(Path path) throws UsageException {
    if (!Files.exists(path)) throw new UsageException("cannot read '" + path + "': no such file");
    if (Files.isDirectory(path)) throw new UsageException("cannot read '" + path + "': it is a directory");
    if (!Files.isReadable(path)) throw new UsageException("cannot read '" + path + "': permission denied");
  }

  static void print(WordCount.Result result, String source, int routees, PrintStream out) {
    out.printf(Locale.ROOT, "wordcount: %s, %d routees%n", source, routees);
    int rank = 0;
    for (Map.Entry<String, Long> word : result.top(TOP)) {
      out.printf(Locale.ROOT, "%4d  %-24s %,14d%n", ++rank, word.getKey(), word.getValue());
    }
    out.printf(Locale.ROOT, "words %,d   distinct %,d   %.1f MB in %.3f s = %.1f MB/s%n",
        result.words(), result.counts().size(), result.bytes() / 1e6, result.nanos() / 1e9, result.megabytesPerSecond());
  }
}
