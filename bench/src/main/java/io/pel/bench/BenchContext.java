package io.pel.bench;

import io.pel.actors.ExecutionLayer;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * What the engines run on: PEL's embedded layer and, for the plain Pekko Streams baseline, an actor
 * system of its own with Pekko's defaults, as a Pekko user would have.
 */
public record BenchContext(ExecutionLayer layer, ActorSystem<?> pekko) {

  /** Longest any one run of an engine may take before the bench gives up on it. */
  public static final Duration RUN_LIMIT = Duration.ofMinutes(10);

  /**
   * {@code bench/target}: where the bench's classes or jar are, wherever it runs from; the workloads that
   * start other JVMs log beneath it.
   */
  static Path targetDirectory() {
    try {
      return Path.of(BenchContext.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the bench's classes", e);
    }
  }

  /** Parallelism of the plain Pekko Streams baseline's {@code mapAsyncUnordered}: four per core. */
  public static int pekkoParallelism() {
    return 4 * Runtime.getRuntime().availableProcessors();
  }

  /** The value of {@code stage}, waiting at most {@link #RUN_LIMIT}; a failure is rethrown as its cause. */
  public static <T> T await(CompletionStage<T> stage) throws Exception {
    try {
      return stage.toCompletableFuture().get(RUN_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } catch (TimeoutException e) {
      throw new TimeoutException("no result within " + RUN_LIMIT.toMinutes() + " minutes");
    }
  }
}
