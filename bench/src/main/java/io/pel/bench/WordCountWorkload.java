package io.pel.bench;

import io.pel.actors.ExecutionLayer;
import io.pel.streams.Aggregators;
import io.pel.streams.KeyedAggregation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * {@code wordcount}: the count of every word of a generated Zipf text ({@link Corpus}); the checksum is
 * the wrapping sum over words of {@code mix(hash(word)) * count}. What it measures is keyed aggregation.
 */
public final class WordCountWorkload implements Workload {

  /** Bytes of text at scale 1. */
  public static final long FULL_SIZE = 50_000_000;
  /** Lines per tokenizing batch of the plain Pekko Streams baseline (about 5 MB, ten batches at full size). */
  public static final int LINES_PER_BATCH = 65_536;
  /** Substreams of the plain Pekko Streams baseline's {@code groupBy}. */
  public static final int PEKKO_SUBSTREAMS = 16;

  /** Words counted per word: the form a newcomer writes, with no setting. */
  public static final KeyedAggregation<String, String, Long> COUNTS = KeyedAggregation.named("bench.wordcount", String.class)
      .mapMulti(Corpus::forEachWord)
      .groupingKey(word -> word)
      .aggregate(Aggregators.counting());

  private final long size;
  private Corpus corpus;

  public WordCountWorkload(long bytes) {
    this.size = bytes;
  }

  @Override
  public String name() {
    return "wordcount";
  }

  @Override
  public String unit() {
    return "MB";
  }

  @Override
  public double amount() {
    return (corpus == null ? size : corpus.bytes()) / 1e6;
  }

  @Override
  public void register(ExecutionLayer layer) {
    COUNTS.register(layer);
  }

  @Override
  public List<Engine> engines(BenchContext context) {
    if (corpus == null) corpus = Corpus.generate(size);
    List<String> lines = corpus.lines();
    return List.of(
        new Engine(Engine.SEQUENTIAL, () -> Corpus.checksum(Corpus.count(lines))),
        new Engine(Engine.PARALLEL_STREAMS, () -> Corpus.checksum(
            lines.parallelStream().collect(HashMap::new, Corpus::countInto, Corpus::mergeInto))),
        new Engine(Engine.PEKKO_STREAMS, () -> {
          Executor executor = context.pekko().executionContext();
          return BenchContext.await(Source.from(lines)
              .grouped(LINES_PER_BATCH)
              .mapAsyncUnordered(BenchContext.pekkoParallelism(),
                  batch -> CompletableFuture.supplyAsync(() -> shards(Corpus.count(batch)), executor))
              .mapConcat(shards -> shards)
              .groupBy(PEKKO_SUBSTREAMS, Shard::index)
              .via(Flow.fromMaterializer((materializer, attributes) ->
                  Flow.<Shard>create().fold(new HashMap<String, Long>(), WordCountWorkload::add)))
              .async()
              .mergeSubstreams()
              .runWith(Sink.fold(0L, (sum, counts) -> sum + Corpus.checksum(counts)), context.pekko()));
        }),
        new Engine(Engine.PEL_FLOW, () -> BenchContext.await(Source.from(lines)
            .via(COUNTS.flow(context.layer()))
            .runWith(Sink.fold(0L, (sum, total) -> sum + Corpus.checksum(total.key(), total.value())), context.layer().system()))));
  }

  /** One chunk's counts of the words of one substream of the plain Pekko Streams baseline. */
  private record Shard(int index, Map<String, Long> counts) {}

  /** {@code counts} split by substream: the map-side combine, so that a substream merges a map per chunk, not an entry per word. */
  private static List<Shard> shards(Map<String, Long> counts) {
    List<HashMap<String, Long>> split = new ArrayList<>(PEKKO_SUBSTREAMS);
    for (int i = 0; i < PEKKO_SUBSTREAMS; i++) split.add(new HashMap<>());
    counts.forEach((word, n) -> split.get(Math.floorMod(word.hashCode(), PEKKO_SUBSTREAMS)).put(word, n));
    List<Shard> shards = new ArrayList<>(PEKKO_SUBSTREAMS);
    for (int i = 0; i < PEKKO_SUBSTREAMS; i++) shards.add(new Shard(i, split.get(i)));
    return shards;
  }

  /** Adds a chunk's counts to {@code counts}; each substream folds into a map of its own (made per materialization). */
  private static HashMap<String, Long> add(HashMap<String, Long> counts, Shard shard) {
    Corpus.mergeInto(counts, shard.counts());
    return counts;
  }
}
