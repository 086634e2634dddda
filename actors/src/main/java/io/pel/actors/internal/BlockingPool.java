package io.pel.actors.internal;

import io.pel.actors.BlockingPoolStats;
import io.pel.actors.FatalTaskException;
import io.pel.actors.TaskContext;
import io.pel.actors.TaskHandler;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's elastic pool for blocking handlers: the synchronous handlers of task types that wait most of
 * their time. A routee hands such an attempt here and goes on with its mailbox; the attempt's answer comes
 * back to the routee as an asynchronous handler's does. The pool's size is decided by a {@link PoolSizer} at
 * every {@link #tick}; a thread beyond the size leaves only between tasks, so no attempt is lost to a shrink.
 *
 * <p>Each task type has its own queue, served in turn, and may hold at most {@link
 * BlockingPoolSettings#typeLimit()} threads at once, so that one type cannot take them all. Each thread builds
 * its own instance of a type's handler from the registered factory (as each routee does), so a handler
 * with per-instance state is never run by two threads at once.
 */
public final class BlockingPool implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BlockingPool.class);

  private final BlockingPoolSettings settings;
  private final PoolSizer sizer;
  private final int typeLimit;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  /** The types with a queue, in the order they are served; a type's queue stays once made. */
  private final List<TypeQueue> types = new ArrayList<>();
  private final Map<String, TypeQueue> byName = new HashMap<>();
  private final AtomicInteger threadNames = new AtomicInteger();
  /** Each pool thread's own: its handler instances by type name, and its attempts, to sample one in {@link BlockingSignal#SAMPLE_EVERY}. */
  private static final class ThreadState {
    final Map<String, Object> handlers = new HashMap<>();
    int attempts;
  }

  private final ThreadLocal<ThreadState> threadState = ThreadLocal.withInitial(ThreadState::new);
  private int next;
  private int threads;
  private int idle;
  private int busy;
  private int peakBusy;
  private int queued;
  private long completed;
  private boolean closed;

  /** An attempt waiting for a thread, and where its outcome goes. */
  private record Pending(Runnable run, CompletableFuture<Object> result) {}

  private static final class TypeQueue {
    final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    int running;
  }

  public BlockingPool(BlockingPoolSettings settings, long now) {
    this.settings = settings;
    this.sizer = new PoolSizer(settings, now);
    this.typeLimit = settings.typeLimit();
  }

  /**
   * Runs {@code input} through this thread's handler of {@code registration} (a synchronous one) on a pool
   * thread; the returned future completes with its result or failure.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public CompletableFuture<Object> submit(HandlerRegistry.Registration registration, Object input, TaskContext context) {
    CompletableFuture<Object> result = new CompletableFuture<>();
    String type = registration.type().name();
    Runnable attempt = () -> {
      ThreadState state = threadState.get();
      Map<String, Object> mine = state.handlers;
      boolean sample = settings.detect() && BlockingSignal.CPU_TIME && state.attempts++ % BlockingSignal.SAMPLE_EVERY == 0;
      long cpu = sample ? BlockingSignal.cpuNanos() : 0;
      long start = sample ? System.nanoTime() : 0;
      try {
        Object handler = mine.get(type);
        if (handler == null) {
          handler = registration.newHandler();
          mine.put(type, handler);
        }
        result.complete(((TaskHandler) handler).apply(input, context));
      } catch (Throwable failure) {
        // After a fatal failure the routee is rebuilt; so is this thread's handler.
        if (failure instanceof Error || failure instanceof FatalTaskException) mine.remove(type);
        result.completeExceptionally(failure);
      }
      if (sample) {
        double share = registration.blocking().onPool(System.nanoTime() - start, BlockingSignal.cpuNanos() - cpu);
        if (!Double.isNaN(share)) {
          LOG.info("Task type '{}' spends {}% of its attempts' time on the CPU in the blocking pool: it runs on the routees again",
              type, Math.round(share * 100));
        }
      }
    };
    lock.lock();
    try {
      if (closed) {
        result.completeExceptionally(new IllegalStateException("the blocking pool is closed: the node is stopping"));
        return result;
      }
      TypeQueue queue = byName.computeIfAbsent(type, name -> {
        TypeQueue made = new TypeQueue();
        types.add(made);
        return made;
      });
      queue.waiting.addLast(new Pending(attempt, result));
      queued++;
      if (idle > 0) work.signal();
      else if (threads < sizer.target()) startThread();
    } finally {
      lock.unlock();
    }
    return result;
  }

  /** A sample interval's end: the sizer decides, and threads start or are let go to match. */
  public void tick(long now) {
    tick(now, PoolSizer.RouteeWork.NONE);
  }

  /**
   * The same, with what this node's routees have done in all (attempts completed, busy nanoseconds, their
   * number), counting the attempts they handed this pool: the pool's own are taken off here.
   */
  public void tick(long now, long routeeCompleted, long routeeBusyNanos, int routees) {
    lock.lock();
    try {
      tick(now, new PoolSizer.RouteeWork(routeeCompleted - completed, routeeBusyNanos, routees));
    } finally {
      lock.unlock();
    }
  }

  /** With the lock held (re-entrant). */
  private void tick(long now, PoolSizer.RouteeWork routees) {
    lock.lock();
    try {
      if (closed) return;
      int before = sizer.target();
      PoolSizer.Change change = sizer.tick(now, peakBusy, queued, completed, routees);
      peakBusy = busy;
      int target = sizer.target();
      switch (change) {
        case GREW -> LOG.debug("Blocking pool grows from {} to {} threads: {}", before, target, sizer.why());
        case TAKEN_BACK -> LOG.info("Blocking pool back to {} threads: {}", target, sizer.why());
        case SHRANK -> LOG.info("Blocking pool shrinks from {} to {} threads: {}", before, target, sizer.why());
        case PROBING -> LOG.debug("Blocking pool tries {} threads instead of {} beside busy routees", target, before);
        case PROBED_SMALLER -> LOG.info("Blocking pool stays at {} threads: {}", target, sizer.why());
        case NONE -> { }
      }
      while (threads < target && queued > idle) startThread();
      if (threads > target) work.signalAll(); // idle threads beyond the size leave
    } finally {
      lock.unlock();
    }
  }

  /** Whether it looks for blocking types among those not declared so ({@code pel.blocking-pool.detect}). */
  public boolean detects() {
    return settings.detect();
  }

  /** The pool now. */
  public BlockingPoolStats snapshot() {
    lock.lock();
    try {
      return new BlockingPoolStats(threads, sizer.target(), busy, idle, queued, completed);
    } finally {
      lock.unlock();
    }
  }

  /** Lets every thread go once it has finished its task; what still waits fails (the node is stopping). */
  @Override
  public void close() {
    List<Pending> left = new ArrayList<>();
    lock.lock();
    try {
      closed = true;
      for (TypeQueue queue : types) {
        left.addAll(queue.waiting);
        queue.waiting.clear();
      }
      queued = 0;
      work.signalAll();
    } finally {
      lock.unlock();
    }
    if (left.isEmpty()) return;
    LOG.warn("Blocking pool closed with {} attempts still waiting; they fail unrun", left.size());
    for (Pending pending : left) {
      pending.result().completeExceptionally(new IllegalStateException("the blocking pool closed before the attempt ran: the node is stopping"));
    }
  }

  /** Called with the lock held. */
  private void startThread() {
    threads++;
    Thread thread = new Thread(this::serve, "pel-blocking-" + threadNames.incrementAndGet());
    thread.setDaemon(true);
    thread.start();
  }

  private void serve() {
    TypeQueue from = null;
    while (true) {
      Pending attempt;
      lock.lock();
      try {
        if (from != null) {
          from.running--;
          busy--;
          completed++;
          // A type held at its limit may have work that an idle thread can take now.
          if (!from.waiting.isEmpty() && idle > 0) work.signal();
        }
        while (true) {
          if (closed || threads > sizer.target()) {
            threads--;
            return;
          }
          from = nextQueue();
          if (from != null) break;
          idle++;
          work.awaitUninterruptibly();
          idle--;
        }
        attempt = from.waiting.pollFirst();
        from.running++;
        queued--;
        busy++;
        if (busy > peakBusy) peakBusy = busy;
      } finally {
        lock.unlock();
      }
      attempt.run().run();
    }
  }

  /** The next type in turn with work waiting and room under its limit, or {@code null}. Lock held. */
  private TypeQueue nextQueue() {
    int n = types.size();
    for (int i = 0; i < n; i++) {
      TypeQueue queue = types.get((next + i) % n);
      if (!queue.waiting.isEmpty() && queue.running < typeLimit) {
        next = (next + i + 1) % n;
        return queue;
      }
    }
    return null;
  }
}
