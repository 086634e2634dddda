package io.pel.actors.internal;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The waiters for a condition over a counter that other threads change (a place below the admission
 * limit, no attempt left running): {@link #await} gives a stage that completes once the condition holds,
 * and whoever changes the counter calls {@link #signal} when the change made it hold.
 *
 * <p>Any thread may await and signal. The waiters of the moment share one future, created by the first
 * and taken by the signal that completes it, so there is nothing to clean: a waiter that gives up leaves
 * its continuation only until the next signal. With nobody waiting, {@link #hasWaiters} is one volatile
 * read, which is all a counter's hot path should pay. No wake-up is lost provided the counter is atomic
 * or volatile and the changer changes it before it asks {@link #hasWaiters}: a waiter publishes its
 * future before it tests the condition again, so of a waiter and a concurrent change one sees the other.
 * A signal is a hint: the condition may no longer hold when the stage completes.
 */
final class ConditionSignal {

  private static final CompletionStage<Void> NOW = CompletableFuture.completedStage(null);

  private final AtomicReference<CompletableFuture<Void>> waiting = new AtomicReference<>();
  private final Executor completions;

  /**
   * Waiters' stages complete on {@code completions}; {@code Runnable::run} completes them on the
   * signalling thread, for waiters that only send a message.
   */
  ConditionSignal(Executor completions) {
    this.completions = Objects.requireNonNull(completions, "completions");
  }

  /** Completes at once if {@code holds} now, else at the next {@link #signal}; its holder cannot complete it. */
  CompletionStage<Void> await(BooleanSupplier holds) {
    if (holds.getAsBoolean()) return NOW;
    CompletableFuture<Void> future = waiting.get();
    if (future == null) {
      CompletableFuture<Void> created = new CompletableFuture<>();
      future = waiting.compareAndExchange(null, created);
      if (future == null) future = created;
    }
    CompletionStage<Void> stage = future.minimalCompletionStage();
    if (holds.getAsBoolean()) signal(); // the change may have come before it could see the future
    return stage;
  }

  /** Whether anyone waits: cheap enough for every change of the counter. */
  boolean hasWaiters() {
    return waiting.get() != null;
  }

  /** Completes the current waiters, if any; those who await from now on wait for the next signal. */
  void signal() {
    CompletableFuture<Void> future = waiting.getAndSet(null);
    if (future != null) future.completeAsync(() -> null, completions);
  }
}
