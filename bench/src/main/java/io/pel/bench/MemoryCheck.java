package io.pel.bench;

import io.pel.actors.ExecutionLayer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * {@code memory}: whether a long stream leaves anything behind. Runs the {@code tasks} flow over a small
 * and then a ten times larger number of elements on the same layer, and after each measures the heap in
 * use once a full collection has run. A stage or layer that kept anything per element would show the
 * difference (one retained byte per element is already megabytes).
 */
public final class MemoryCheck {

  /** Elements of the smaller run at scale 1; the larger run has ten times as many. */
  public static final long FULL_SIZE = 1_000_000;

  /** The heap in use after each run, in bytes. */
  public record Result(long smallElements, long heapAfterSmall, long largeElements, long heapAfterLarge) {}

  private MemoryCheck() {}

  /** Runs both sizes through {@code layer}, which must have the {@code tasks} workload registered. */
  public static Result run(ExecutionLayer layer, long small, Progress progress) throws Exception {
    long large = 10 * small;
    progress.say("memory: " + small + " elements through the tasks flow");
    checked(layer, small);
    long afterSmall = heapInUseAfterGc();
    progress.say("memory: " + large + " elements through the tasks flow");
    checked(layer, large);
    long afterLarge = heapInUseAfterGc();
    return new Result(small, afterSmall, large, afterLarge);
  }

  private static void checked(ExecutionLayer layer, long elements) throws Exception {
    long expected = 0;
    for (long i = 0; i < elements; i++) expected += Mix.mix(i);
    long actual = TasksWorkload.runFlow(layer, elements);
    if (actual != expected) {
      throw new IllegalStateException("the tasks flow over " + elements + " elements gave checksum " + actual
          + ", expected " + expected);
    }
  }

  /** Heap in use after full collections: the least of three, so that a collection racing an allocation does not count. */
  static long heapInUseAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
    }
    return least;
  }
}
