package io.pel.samples.wordcount;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.TaskType;
import io.pel.streams.KeyedAggregate;
import io.pel.streams.KeyedAggregation;
import io.pel.streams.ParallelFlow;
import java.time.Duration;
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
 * each chunk on the routees (the first, map-side combine), and a {@link KeyedAggregation} sums the
 * per-chunk counts into per-word totals partitioned across the routees.
 */
public final class WordCount {

  /** Counts the words of one chunk of text. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static final TaskType<String, HashMap<String, Long>> COUNT_CHUNK =
      (TaskType) TaskType.of("wordcount.count-chunk", String.class, HashMap.class);

  /**
   * Sums per-chunk counts into totals per word. Its input is already counted per chunk, so batches are
   * large: one merge per partition carries the words of several chunks.
   */
  public static final KeyedAggregation<Map.Entry<String, Long>, String, Long> TOTALS = KeyedAggregation.<Map.Entry<String, Long>, String, Long>named(
      "wordcount.totals", Map.Entry::getKey, () -> 0L, (total, entry) -> total + entry.getValue(), Long::sum)
      .withBatch(65_536, Duration.ofMillis(50));

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
    layer.register(COUNT_CHUNK, (text, ctx) -> Words.count(text));
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
        .mapConcat(HashMap::entrySet)
        .via(TOTALS.flow(layer))
        .runWith(Sink.fold(new HashMap<String, Long>(), WordCount::add), layer.system())
        .thenApply(counts -> new Result(counts, Words.total(counts), bytes.get(), System.nanoTime() - start));
  }

  private static HashMap<String, Long> add(HashMap<String, Long> counts, KeyedAggregate<String, Long> total) {
    counts.put(total.key(), total.value());
    return counts;
  }
}
