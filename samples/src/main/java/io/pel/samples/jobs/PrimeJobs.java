package io.pel.samples.jobs;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.TaskType;

/**
 * The jobs sample's task: count the primes in one block of {@link #BLOCK} numbers, by trial division (a
 * few milliseconds of CPU). A job of N tasks counts the primes below N &times; BLOCK.
 */
public final class PrimeJobs {

  /** Numbers per task. */
  public static final long BLOCK = 20_000;

  public static final TaskType<Long, Long> COUNT_PRIMES = TaskType.of("jobs.count-primes", Long.class, Long.class);

  private PrimeJobs() {}

  /** Registers the handler on {@code layer}. */
  public static void register(ExecutionLayer layer) {
    layer.register(COUNT_PRIMES, (block, ctx) -> countPrimes(block * BLOCK, (block + 1) * BLOCK));
  }

  /** The primes in {@code [from, to)}. */
  static long countPrimes(long from, long to) {
    long count = 0;
    for (long n = Math.max(2, from); n < to; n++) if (isPrime(n)) count++;
    return count;
  }

  private static boolean isPrime(long n) {
    if (n < 4) return n >= 2;
    if (n % 2 == 0) return false;
    for (long d = 3; d * d <= n; d += 2) if (n % d == 0) return false;
    return true;
  }
}
