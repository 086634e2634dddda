package io.pel.samples.risk;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.TaskContext;
import io.pel.actors.TaskType;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The risk sample's task types and their handlers.
 *
 * <p>{@link #VAR} is asynchronous: it fans the run out as one {@link #SIMULATE} sub-task per chunk and
 * combines their tails when all have completed, without holding a routee while it waits. A chunk that is
 * retried or re-dispatched draws the same random numbers again, so retries do not change the figures.
 */
public final class RiskTasks {

  /** Simulates one chunk and returns its largest losses. */
  public static final TaskType<ChunkRequest, TailLosses> SIMULATE =
      TaskType.of("risk.simulate", ChunkRequest.class, TailLosses.class);

  /** Runs a whole value-at-risk computation as sub-tasks. */
  public static final TaskType<VarRequest, VarResult> VAR =
      TaskType.of("risk.var", VarRequest.class, VarResult.class);

  private RiskTasks() {}

  /** Registers both handlers on {@code layer}. */
  public static void register(ExecutionLayer layer) {
    layer.register(SIMULATE, (chunk, context) -> RiskJob.simulate(chunk));
    layer.registerAsync(VAR, RiskTasks::fanOut);
  }

  private static CompletionStage<VarResult> fanOut(VarRequest request, TaskContext context) {
    List<CompletableFuture<TailLosses>> chunks = RiskJob.plan(request).stream()
        .map(chunk -> context.submit(SIMULATE, chunk).toCompletableFuture())
        .toList();
    return CompletableFuture.allOf(chunks.toArray(CompletableFuture[]::new))
        .thenApply(done -> RiskJob.combine(request, chunks.stream().map(CompletableFuture::join).toList()));
  }
}
