package io.pel.samples.wordcount;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.TaskType;
import io.pel.actors.TypeRef;
import io.pel.streams.KeyedAggregate;
import io.pel.streams.KeyedAggregation;
import io.pel.streams.KeyedPartials;
import io.pel.streams.ParallelFlow;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Word count as a PEL pipeline: text is cut into chunks, a {@link ParallelFlow} tokenizes and counts
 * each chunk on the routees and splits the counts by partition there (the map-side combine), and a
 * {@link KeyedAggregation} merges each partition's counts into per-word totals on the partition's routee.
 * The stream's own thread never touches a word.
 */
public final class WordCount {

  /** Totals per word, partitioned over the routees. */
  public static final KeyedAggregation<String, String, Long> TOTALS =
      KeyedAggregation.named("wordcount.totals", (String word) -> word, () -> 0L, (n, word) -> n + 1, Long::sum);

  /** Counts the words of one chunk of text: its partial counts, already split by {@link #TOTALS}' partitions. */
  public static final TaskType<String, KeyedPartials<String, Long>> COUNT_CHUNK =
      TaskType.of("wordcount.count-chunk", TypeRef.of(String.class), new TypeRef<KeyedPartials<String, Long>>() {});

  /** Bytes of text per counting task, by default. */
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

  /** Registers the counting task and the totals aggregation on {@code layer} (on every node). */
  public static void register(ExecutionLayer layer) {
    layer.register(COUNT_CHUNK, (text, ctx) -> {
      HashMap<String, Long> counts = Words.count(text);
      return TOTALS.partials(counts, Words.total(counts));
    });
    TOTALS.register(layer);
  }

  /** Counts the words of UTF-8 {@code text}, in chunks of about {@code chunkBytes}. */
  public static CompletionStage<Result> run(ExecutionLayer layer, Source<ByteString, ?> text, int chunkBytes) {
    AtomicLong bytes = new AtomicLong();
    long start = System.nanoTime();
    return text
        .map(b -> { bytes.addAndGet(b.size()); return b; })
        .via(TextChunks.of(chunkBytes))
        .via(ParallelFlow.of(layer, COUNT_CHUNK).unordered().flow())
        .via(TOTALS.partialsFlow(layer))
        .runWith(Sink.fold(new HashMap<String, Long>(), WordCount::add), layer.system())
        .thenApply(counts -> new Result(counts, Words.total(counts), bytes.get(), System.nanoTime() - start));
  }

  private static HashMap<String, Long> add(HashMap<String, Long> counts, KeyedAggregate<String, Long> total) {
    counts.put(total.key(), total.value());
    return counts;
  }
}
