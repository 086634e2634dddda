package io.pel.actors.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Whether a task type's synchronous handler runs on the blocking pool: declared ({@link
 * io.pel.actors.TaskType#asBlocking()}), or found from the CPU share of its attempts. Routees sample some
 * attempts of 1 ms or more; when eight of them spent under a quarter of their time on the CPU, the type
 * waits and moves to the pool. The pool samples it in turn, and a type found there (not declared) that
 * spends over three quarters of its time on the CPU moves back. Thread-safe.
 */
public final class BlockingSignal {

  /** One attempt in this many is timed on the CPU, on a routee (of those after one of 1 ms or more) and on the pool. */
  static final int SAMPLE_EVERY = 8;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  /** Whether this JVM reads a thread's CPU time; without it nothing is found blocking, only declared. */
  static final boolean CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported();

  /** This thread's CPU time so far, in nanoseconds. */
  static long cpuNanos() {
    return THREADS.getCurrentThreadCpuTime();
  }

  /** Attempts shorter than this say nothing: a wake-up's cost alone is in that range. */
  static final long MIN_SAMPLE_NANOS = 1_000_000;
  /** Samples per judgement. */
  static final int WINDOW = 8;
  static final double WAITS_BELOW = 0.25;
  static final double WORKS_ABOVE = 0.75;

  private final boolean declared;
  private volatile boolean detected;
  private int samples;
  private long wallNanos;
  private long cpuNanos;

  BlockingSignal(boolean declared) {
    this.declared = declared;
  }

  /** Whether the type's attempts run on the pool now. */
  public boolean pooled() {
    return declared || detected;
  }

  boolean declared() {
    return declared;
  }

  /**
   * An attempt run on a routee took {@code wall} nanoseconds, {@code cpu} of them on the CPU. Returns the
   * CPU share of the window that moved the type to the pool, or NaN if it stays.
   */
  synchronized double onRoutee(long wall, long cpu) {
    if (pooled() || wall < MIN_SAMPLE_NANOS) return Double.NaN;
    double share = add(wall, cpu, WINDOW);
    if (!(share < WAITS_BELOW)) return Double.NaN;
    detected = true;
    return share;
  }

  /** The same for an attempt run on the pool: the share that moved a found type back, or NaN. */
  synchronized double onPool(long wall, long cpu) {
    if (declared || !detected || wall < MIN_SAMPLE_NANOS) return Double.NaN;
    double share = add(wall, cpu, 2 * WINDOW);
    if (!(share > WORKS_ABOVE)) return Double.NaN;
    detected = false;
    return share;
  }

  /** Adds a sample; once {@code window} are in, returns their CPU share and starts again, else NaN. */
  private double add(long wall, long cpu, int window) {
    wallNanos += wall;
    cpuNanos += Math.max(0, Math.min(cpu, wall));
    if (++samples < window) return Double.NaN;
    double share = cpuNanos / (double) wallNanos;
    samples = 0;
    wallNanos = 0;
    cpuNanos = 0;
    return share;
  }
}
