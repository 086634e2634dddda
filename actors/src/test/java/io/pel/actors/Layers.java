package io.pel.actors;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Starting layers for tests, with fast retries and restarts, and waiting on many stages at once. */
public final class Layers {

  public static final Duration WAIT = Duration.ofSeconds(60);

  private Layers() {}

  /** A layer with {@code hocon} over test defaults: short backoffs so failure tests run fast. */
  public static ExecutionLayer start(String hocon) {
    return ExecutionLayer.start(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.parseString("""
        pel.retry.initial-backoff = 2ms
        pel.retry.max-backoff = 20ms
        pel.restart.min-backoff = 1ms
        pel.restart.max-backoff = 20ms
        """)));
  }

  /** Waits for every stage to complete (normally or not) and returns them as futures. */
  public static <T> List<CompletableFuture<T>> awaitAll(List<? extends CompletionStage<T>> stages) throws Exception {
    List<CompletableFuture<T>> futures = new ArrayList<>();
    for (CompletionStage<T> s : stages) futures.add(s.toCompletableFuture());
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .handle((r, e) -> null)
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return futures;
  }

  /** The result of {@code stage}, waiting at most {@link #WAIT}. */
  public static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }
}
