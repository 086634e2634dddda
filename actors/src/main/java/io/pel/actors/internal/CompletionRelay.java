package io.pel.actors.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Completes callers' futures off the supervisor's thread, so that no caller's continuation (a {@code
 * thenApply} runs on the thread that completes its future) can hold the supervisor, nor another task's
 * completion.
 *
 * <p>The supervisor hands over the results of one message at once ({@link Batch}); one run on the
 * relay's executor completes them in order. Before it completes each one it makes sure another run is on
 * its way if results remain, so that a continuation that blocks holds back only its own future: the
 * next run takes over from the following one. When nothing blocks, that other run finds nothing left to
 * do, and a message's results cost two hand-overs in all. The executor must be able to start a run while
 * others block (a pool that grows, such as a cached one).
 *
 * <p>A {@link Batch} is filled by the supervisor alone and then handed over; from then on its cursor
 * and its flag are the only state shared by the runs, both atomic.
 */
final class CompletionRelay {

  private final Executor executor;

  CompletionRelay(Executor executor) {
    this.executor = executor;
  }

  /** The results of one supervisor message, filled by the supervisor, then {@link #complete}d once. */
  static final class Batch implements Runnable {
    private final Executor executor;
    private CompletableFuture<Object>[] futures;
    private Object[] values;
    private Throwable[] failures;
    private int size;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicBoolean runPending = new AtomicBoolean();

    @SuppressWarnings("unchecked")
    private Batch(Executor executor, int expected) {
      int capacity = Math.max(1, expected);
      this.executor = executor;
      this.futures = new CompletableFuture[capacity];
      this.values = new Object[capacity];
      this.failures = new Throwable[capacity];
    }

    void succeed(CompletableFuture<Object> future, Object value) {
      add(future, value, null);
    }

    void fail(CompletableFuture<Object> future, Throwable failure) {
      add(future, null, failure);
    }

    boolean isEmpty() {
      return size == 0;
    }

    private void add(CompletableFuture<Object> future, Object value, Throwable failure) {
      if (size == futures.length) {
        futures = java.util.Arrays.copyOf(futures, size * 2);
        values = java.util.Arrays.copyOf(values, size * 2);
        failures = java.util.Arrays.copyOf(failures, size * 2);
      }
      futures[size] = future;
      values[size] = value;
      failures[size] = failure;
      size++;
    }

    @Override
    public void run() {
      runPending.set(false);
      int i;
      while ((i = next.getAndIncrement()) < size) {
        if (i + 1 < size && runPending.compareAndSet(false, true)) executor.execute(this);
        if (failures[i] != null) futures[i].completeExceptionally(failures[i]);
        else futures[i].complete(values[i]);
        futures[i] = null;
        values[i] = null;
        failures[i] = null;
      }
    }
  }

  /** A new, empty batch of results. */
  Batch batch() {
    return batch(8);
  }

  /** A new, empty batch with room for {@code expected} results (it grows past them if need be). */
  Batch batch(int expected) {
    return new Batch(executor, expected);
  }

  /** Hands {@code batch} over; the supervisor must not touch it afterwards. */
  void complete(Batch batch) {
    if (batch.isEmpty()) return;
    batch.runPending.set(true);
    executor.execute(batch);
  }
}
