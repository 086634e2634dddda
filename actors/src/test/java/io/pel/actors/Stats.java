package io.pel.actors;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Awaiting a condition on a layer: a stage that completes when it holds, checked every few
 * milliseconds (counters and flags have no change notification to wait on).
 */
public final class Stats {

  private Stats() {}

  public static CompletableFuture<LayerStats> until(ExecutionLayer layer, Predicate<LayerStats> condition) {
    return until(() -> condition.test(layer.stats())).thenApply(v -> layer.stats());
  }

  /** A stage that completes once {@code condition} is true. */
  public static CompletableFuture<Void> until(BooleanSupplier condition) {
    CompletableFuture<Void> reached = new CompletableFuture<>();
    ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor();
    checker.scheduleWithFixedDelay(() -> {
      if (condition.getAsBoolean()) reached.complete(null);
    }, 0, 5, TimeUnit.MILLISECONDS);
    reached.whenComplete((s, e) -> checker.shutdownNow());
    return reached.orTimeout(Layers.WAIT.toSeconds(), TimeUnit.SECONDS);
  }

}
