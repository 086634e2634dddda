package io.pel.actors.internal;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * Learns from past performance: of two routees drawn at random, picks the one with the smaller expected
 * completion time {@code (outstanding + 1) × service time}, where service time is that routee's moving
 * average per element for the task's type, and outstanding work and the task itself are counted in
 * elements (a batch weighs its size). A routee with no sample yet is assumed as fast as the average of those
 * with one, so it gets tried without being flooded. Ties go to a local routee, then to the less loaded.
 *
 * <p>An estimate learns only from answers, so a routee that once looked slow (a cold JIT, one large
 * input, a passing hiccup) would never be picked again to show that it is not. The estimate of an idle
 * routee therefore fades towards the best estimate among the routees with room, its excess halving with
 * every {@link #STALE_HALF_LIVES} of the best service times that pass without a sample: a slow routee is
 * tried again now and then and re-learnt, a routee that was only unlucky soon gets its share back. (Fading
 * towards the average instead would keep a routee with a huge stale estimate out for good, since its own
 * estimate holds the average up.)
 *
 * <p>Two random choices rather than the global best keep many supervisors (one per node) from all
 * piling onto the same routee between updates, at almost the same quality.
 */
final class AdaptiveRouting implements RoutingStrategy {

  /** Best service times after which an idle routee's estimate above the best halves its excess. */
  static final double STALE_HALF_LIVES = 10;

  private final SplittableRandom random;
  private final LongSupplier ticker;

  AdaptiveRouting(SplittableRandom random, LongSupplier ticker) {
    this.random = random;
    this.ticker = ticker;
  }

  @Override
  public RouteeState select(TaskRecord task, List<RouteeState> available) {
    int n = available.size();
    if (n == 1) return available.get(0);
    int i = random.nextInt(n);
    int j = random.nextInt(n - 1);
    if (j >= i) j++;
    RouteeState a = available.get(i);
    RouteeState b = available.get(j);
    double fallback = averageKnown(task.type, available);
    double best = bestKnown(task.type, available);
    long now = ticker.getAsLong();
    double costA = (a.outstandingWeight + task.weight) * estimate(a, task.type, fallback, best, now);
    double costB = (b.outstandingWeight + task.weight) * estimate(b, task.type, fallback, best, now);
    if (costA != costB) return costA < costB ? a : b;
    if (a.local != b.local) return a.local ? a : b;
    return a.outstandingWeight <= b.outstandingWeight ? a : b;
  }

  private static double estimate(RouteeState r, String type, double fallback, double best, long now) {
    double known = r.serviceNanos(type);
    if (Double.isNaN(known)) return fallback;
    if (r.outstanding > 0 || known <= best) return known;
    double idle = now - r.lastSampleNanos(type);
    return best + (known - best) * Math.pow(0.5, idle / (STALE_HALF_LIVES * best));
  }

  private static double bestKnown(String type, List<RouteeState> routees) {
    double best = Double.POSITIVE_INFINITY;
    for (RouteeState r : routees) {
      double s = r.serviceNanos(type);
      if (!Double.isNaN(s) && s < best) best = s;
    }
    return best;
  }

  private static double averageKnown(String type, List<RouteeState> routees) {
    double sum = 0;
    int count = 0;
    for (RouteeState r : routees) {
      double s = r.serviceNanos(type);
      if (!Double.isNaN(s)) {
        sum += s;
        count++;
      }
    }
    return count == 0 ? 1.0 : sum / count;
  }
}
