package io.pel.actors.internal;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

/**
 * The attempts a node's routees have taken in and not yet answered, with a signal once none are left
 * ({@link #whenIdle}): what the node's drain waits for. Routees count from their own threads: {@link
 * #increment} when an attempt arrives, {@link #add add(-n)} once n answers are handed to Pekko.
 *
 * <p>A {@link LongAdder}, so that routees never contend on it and a routee's {@code AnswerOutbox} holds it
 * as one; {@code reset} would bypass the signal and is refused. An increment costs nothing more, a
 * decrement with nobody waiting one volatile read. An adder's sum is exact only while nothing is added
 * meanwhile: once the count only goes down (a drain whose fences are through) the signal comes exactly
 * when it reaches zero; while increments race with it, it may come when the count was not zero, so its
 * holder reads {@link #sum} again.
 */
final class RunningAttempts extends LongAdder {

  private static final long serialVersionUID = 1L; // a LongAdder is Serializable; this one is never sent

  /** Completed on the decrementing routee's thread: its waiter only sends itself a message. */
  private final transient ConditionSignal idle = new ConditionSignal(Runnable::run);

  @Override
  public void add(long x) {
    super.add(x);
    if (x < 0 && idle.hasWaiters() && sum() == 0) idle.signal();
  }

  @Override
  public void increment() {
    super.add(1L);
  }

  @Override
  public void decrement() {
    add(-1L);
  }

  /**
   * A stage that completes once no attempt is running: at once if none is now, else on the thread of the
   * decrement that reaches zero, so continue with something brief (a {@code pipeToSelf}). One-shot: ask
   * again to wait for the next zero.
   */
  CompletionStage<Void> whenIdle() {
    return idle.await(() -> sum() == 0);
  }

  @Override
  public void reset() {
    throw new UnsupportedOperationException("running attempts are counted down, not reset");
  }

  @Override
  public long sumThenReset() {
    throw new UnsupportedOperationException("running attempts are counted down, not reset");
  }
}
