package io.pel.samples.wordcount;

import io.pel.actors.ExecutionLayer;
import io.pel.streams.Aggregators;
import io.pel.streams.KeyedAggregate;
import io.pel.streams.KeyedAggregation;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Word count as a PEL pipeline: text is cut into chunks, and a {@link KeyedAggregation} tokenizes each chunk
 * on a routee, counts its words there (the map-side combine, done by PEL) and merges the counts into
 * per-word totals on the routees that own the words' partitions. The stream's own thread never touches a
 * word.
 */
public final class WordCount {

  /** Words counted per word, over chunks of text. */
  public static final KeyedAggregation<String, String, Long> COUNTS = KeyedAggregation.named("wordcount", String.class)
      .mapMulti(Words::forEach)
      .groupingKey(word -> word)
      .aggregate(Aggregators.counting());

  /** Bytes of text per chunk, by default. */
  public static final int DEFAULT_CHUNK_BYTES = 256 * 1024;

  /** What a run found. */
  public record Result(Map<String, Long> counts, long words, long bytes, long nanos) {

    /** The {@code n} most frequent words, most frequent first, ties in alphabetical order. */
    public List<Map.Entry<String, Long>> top(int n) {
      return counts.entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
          .limit(n)
          .toList();
    }

    /** Input megabytes (10^6 bytes) per second. */
    public double megabytesPerSecond() {
      return nanos == 0 ? 0 : (bytes / 1e6) / (nanos / 1e9);
    }
  }

  private WordCount() {}

  /** Registers the word count on {@code layer} (on every node). */
  public static void register(ExecutionLayer layer) {
    COUNTS.register(layer);
  }

  /** Counts the words of UTF-8 {@code text}, in chunks of about {@code chunkBytes}. */
  public static CompletionStage<Result> run(ExecutionLayer layer, Source<ByteString, ?> text, int chunkBytes) {
    AtomicLong bytes = new AtomicLong();
    long start = System.nanoTime();
    return text
        .map(b -> { bytes.addAndGet(b.size()); return b; })
        .via(TextChunks.of(chunkBytes))
        .via(COUNTS.flow(layer))
        .runWith(KeyedAggregate.toMap(), layer.system())
        .thenApply(counts -> new Result(counts, Words.total(counts), bytes.get(), System.nanoTime() - start));
  }
}
