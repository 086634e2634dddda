package io.pel.actors.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the tasks a node has accepted and not yet completed, and refuses more past the limit.
 *
 * <p>Any thread may {@link #tryAcquire}; the supervisor {@link #release}s once per completed task. Once
 * {@link #close}d, {@link #drained()} completes when the count reaches zero.
 */
public final class Admission {

  private final int limit;
  private final AtomicInteger accepted = new AtomicInteger();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private volatile boolean closing;

  public Admission(int limit) {
    this.limit = limit;
  }

  /** Takes a place for one task; {@code false} when the node is at its limit. */
  public boolean tryAcquire() {
    if (accepted.incrementAndGet() > limit) {
      release();
      return false;
    }
    return true;
  }

  /**
   * Takes a place even past the limit: for work the node has already accepted, such as an element of an
   * accepted batch that runs again on its own.
   */
  public void acquire() {
    accepted.incrementAndGet();
  }

  /** Gives back the place of one completed task. */
  public void release() {
    if (accepted.decrementAndGet() == 0 && closing) drained.complete(null);
  }

  /** From now on, {@link #drained()} completes once nothing is accepted. */
  public void close() {
    closing = true;
    if (accepted.get() == 0) drained.complete(null);
  }

  public boolean isClosing() {
    return closing;
  }

  public CompletableFuture<Void> drained() {
    return drained;
  }

  public int accepted() {
    return Math.max(0, accepted.get());
  }

  public int limit() {
    return limit;
  }
}
