package io.pel.service.internal;

import io.pel.actors.JobStoreException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Whether the node's job store answers: checked every {@link #EVERY} in the background ({@code
 * Jobs.checkStore}), so that readiness and the job routes read the last answer at once and never wait on the
 * store themselves. A check that takes longer than its timeout counts as a failure; a new check starts only
 * once the last has returned, so a store that hangs does not pile up blocked calls.
 */
final class JobStoreProbe {

  /** How often the store is checked. */
  static final Duration EVERY = Duration.ofSeconds(2);

  private final Supplier<CompletionStage<Void>> check;
  private final Duration timeout;
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile Optional<String> problem = Optional.empty();

  JobStoreProbe(Supplier<CompletionStage<Void>> check, Duration timeout) {
    this.check = check;
    this.timeout = timeout;
  }

  /** A probe that checks now and then every {@link #EVERY} on {@code system}'s scheduler, until it terminates. */
  static JobStoreProbe start(ActorSystem<?> system, Supplier<CompletionStage<Void>> check, Duration timeout) {
    JobStoreProbe probe = new JobStoreProbe(check, timeout);
    system.scheduler().scheduleWithFixedDelay(Duration.ZERO, EVERY, probe::check, system.executionContext());
    return probe;
  }

  /** Why the store did not answer its last check, or nothing if it did (or none has returned yet). */
  Optional<String> problem() {
    return problem;
  }

  /** Starts a check unless one is still running; its outcome, or its timeout, sets {@link #problem()}. */
  void check() {
    if (!running.compareAndSet(false, true)) return;
    CompletableFuture<Void> call;
    try {
      call = check.get().toCompletableFuture();
    } catch (RuntimeException e) {
      running.set(false);
      problem = Optional.of(describe(e));
      return;
    }
    call.whenComplete((ok, failure) -> running.set(false));
    call.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((ok, failure) -> problem = failure == null ? Optional.empty() : Optional.of(describe(failure)));
  }

  private String describe(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof TimeoutException) return "the job store did not answer a check within " + timeout.toMillis() + " ms";
    if (cause instanceof JobStoreException) return cause.getMessage();
    return "the job store's check failed: " + ErrorText.of(cause);
  }
}
