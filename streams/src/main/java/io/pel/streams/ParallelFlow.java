package io.pel.streams;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.TaskOutcome;
import io.pel.actors.TaskType;
import io.pel.streams.internal.ParallelStage;
import java.time.Duration;
import java.util.Objects;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.javadsl.Flow;

/**
 * A data-parallel stage: each element runs as a task of a {@link TaskType} on the execution layer's
 * routees (on this node and, in a cluster, on every node), with backpressure from the sink to the source.
 *
 * <p>An immutable description: every method returns a new {@code ParallelFlow}, and {@link #flow()} or
 * {@link #outcomes()} turn it into a Pekko {@code Flow} that may be materialized any number of times.
 *
 * <pre>{@code
 * TaskType<String, Integer> score = TaskType.of("score", String.class, Integer.class);
 * layer.register(score, (doc, ctx) -> model.score(doc));
 * Source.from(documents)
 *     .via(ParallelFlow.of(layer, score).flow())
 *     .runWith(Sink.seq(), layer.system());
 * }</pre>
 *
 * <p>Untuned, it is fast for tiny and for heavy tasks alike: elements that arrive while the routees are
 * busy travel together in batches that grow with the load (up to about 8 ms of work each), while
 * on an idle layer an element leaves alone and at once; the number of elements in flight follows the
 * routees and the service time the stage measures. {@link #parallelism} and {@link #batched} override
 * that.
 *
 * <h2>Semantics of the operator</h2>
 * <ul>
 *   <li><b>Emits when</b> the next element's task has succeeded (in input order by default; with
 *       {@link #unordered()}, as soon as any task has) and downstream demands it.
 *   <li><b>Backpressures when</b> its window is full: as many elements as the window holds (by default
 *       sized by itself, at most 65,536; {@code parallelism} when set; {@code parallelism} batches when
 *       {@link #batched batched} by hand) are in flight or completed and not yet emitted. Nothing is
 *       pulled from upstream then, so memory is bounded whatever the input's length.
 *   <li><b>Completes when</b> upstream has completed and every element taken has been emitted (or
 *       dropped).
 *   <li><b>Fails when</b> upstream fails (tasks in flight are cancelled); when an element fails for good
 *       and failures stop the stream (the default), with that element's {@link
 *       io.pel.actors.TaskFailedException}; or when the layer refuses the type ({@link
 *       io.pel.actors.UnknownTaskTypeException}) or is closed ({@link IllegalStateException}).
 *   <li><b>Cancels when</b> downstream cancels: every task still queued or running for this stage is
 *       cancelled in the layer's supervisor (a queued one never runs; a running one's result is dropped).
 * </ul>
 * A layer that is full ({@link io.pel.actors.OverloadedException}) is not a failure: the stage offers
 * the task again as soon as the layer has room ({@link io.pel.actors.ExecutionLayer#whenAcceptingMore}),
 * and backpressures meanwhile.
 */
public final class ParallelFlow<I, O> {

  /** Largest parallelism accepted; each unit holds one task (or batch) and its results. */
  public static final int MAX_PARALLELISM = 65_536;
  /** Largest batch accepted: the layer's limit for one batch task. */
  public static final int MAX_BATCH_SIZE = 100_000;

  private final ExecutionLayer layer;
  private final TaskType<I, O> type;
  private final int parallelism;
  private final boolean ordered;
  private final int batchSize;
  private final Duration maxLinger;
  private final boolean dropFailures;

  /** {@code 0} for {@code parallelism} and {@code batchSize}: sized by the stage itself. */
  private static final int AUTO = 0;

  private ParallelFlow(ExecutionLayer layer, TaskType<I, O> type, int parallelism, boolean ordered,
      int batchSize, Duration maxLinger, boolean dropFailures) {
    this.layer = layer;
    this.type = type;
    this.parallelism = parallelism;
    this.ordered = ordered;
    this.batchSize = batchSize;
    this.maxLinger = maxLinger;
    this.dropFailures = dropFailures;
  }

  /**
   * A flow running {@code type}'s tasks on {@code layer}: ordered, failing on the first element that
   * fails for good, with batches that form by themselves and a window sized from the routees the node
   * dispatches to (cluster-wide) and the service time it measures.
   */
  public static <I, O> ParallelFlow<I, O> of(ExecutionLayer layer, TaskType<I, O> type) {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(type, "type");
    return new ParallelFlow<>(layer, type, AUTO, true, AUTO, Duration.ZERO, false);
  }

  /**
   * At most {@code parallelism} elements in flight (batches, when {@link #batched batched} by hand),
   * counting those whose results wait to be emitted, instead of a window sized by the stage. Batches
   * still form by themselves within it unless batched by hand. Needed only to bound memory or a
   * downstream system more tightly than the default does.
   *
   * @throws IllegalArgumentException unless 1 &le; parallelism &le; {@value #MAX_PARALLELISM}
   */
  public ParallelFlow<I, O> parallelism(int parallelism) {
    if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
      throw new IllegalArgumentException("parallelism must be between 1 and " + MAX_PARALLELISM + ", not " + parallelism);
    }
    return new ParallelFlow<>(layer, type, parallelism, ordered, batchSize, maxLinger, dropFailures);
  }

  /** Emits each element as soon as its task completes, not in input order. */
  public ParallelFlow<I, O> unordered() {
    return new ParallelFlow<>(layer, type, parallelism, false, batchSize, maxLinger, dropFailures);
  }

  /**
   * Sends up to {@code batchSize} elements as one batch task (one message, one routing decision), waiting
   * at most {@code maxLinger} after a batch's first element for it to fill, instead of the batches that
   * form by themselves. Each element still gets its own result and its own retries; see {@link
   * ExecutionLayer#submitBatch}. The task timeout then covers a whole batch; {@code batched(1, ...)}
   * sends every element alone. The parallelism then counts batches (by default two per routee).
   *
   * @throws IllegalArgumentException unless 1 &le; batchSize &le; {@value #MAX_BATCH_SIZE} and
   *     {@code maxLinger} is positive (when batchSize &gt; 1) and at most one hour
   */
  public ParallelFlow<I, O> batched(int batchSize, Duration maxLinger) {
    Objects.requireNonNull(maxLinger, "maxLinger");
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException("batchSize must be between 1 and " + MAX_BATCH_SIZE + ", not " + batchSize);
    }
    if ((batchSize > 1 && (maxLinger.isNegative() || maxLinger.isZero())) || maxLinger.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("maxLinger must be positive and at most 1h, not " + maxLinger);
    }
    return new ParallelFlow<>(layer, type, parallelism, ordered, batchSize, maxLinger, dropFailures);
  }

  /**
   * Drops an element whose task fails for good and goes on, instead of failing the stream. Each drop is
   * logged (the first at WARN with its cause) and counted; the stage logs the count when it stops.
   */
  public ParallelFlow<I, O> dropFailures() {
    return new ParallelFlow<>(layer, type, parallelism, ordered, batchSize, maxLinger, true);
  }

  /**
   * The operator: emits each element's result. An element whose task fails for good fails the stream
   * with its {@link io.pel.actors.TaskFailedException}, or is dropped after {@link #dropFailures()}. A
   * task that returns {@code null} counts as failed (streams carry no nulls): use {@link #outcomes()}.
   */
  public Flow<I, O, NotUsed> flow() {
    ParallelStage.Mode mode = dropFailures ? ParallelStage.Mode.DROP : ParallelStage.Mode.FAIL;
    return Flow.fromGraph(new ParallelStage<I, O, O>(layer, type, settings(), mode)).withAttributes(name());
  }

  /**
   * The operator, emitting every element as a pair of its input and its {@link TaskOutcome} (the result, or
   * the failure that ended it for good: usually a {@link io.pel.actors.TaskFailedException} naming the
   * task and its attempts, or the {@link IllegalArgumentException} that refused the input), the same
   * outcome type as {@link ExecutionLayer#submitBatch} and jobs give. No element failure fails the stream;
   * only upstream failure and a layer that refuses the task type or is closed do.
   */
  public Flow<I, Pair<I, TaskOutcome<O>>, NotUsed> outcomes() {
    return Flow.fromGraph(new ParallelStage<I, O, Pair<I, TaskOutcome<O>>>(layer, type, settings(), ParallelStage.Mode.OUTCOME))
        .withAttributes(name());
  }

  private ParallelStage.Settings settings() {
    return new ParallelStage.Settings(parallelism, ordered, batchSize, maxLinger);
  }

  private Attributes name() {
    return Attributes.name("parallelFlow-" + type.name());
  }

  @Override
  public String toString() {
    return "ParallelFlow(" + type + (parallelism == AUTO ? ", window sized by itself" : ", parallelism " + parallelism)
        + (ordered ? ", ordered" : ", unordered")
        + (batchSize == AUTO ? ", batches forming by themselves" : batchSize > 1 ? ", batches of " + batchSize + " within " + maxLinger : ", unbatched")
        + (dropFailures ? ", dropping failures" : "") + ")";
  }
}
