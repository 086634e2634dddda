package io.pel.actors.internal;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Learns from past performance: of two routees drawn at random, picks the one with the smaller expected
 * completion time {@code (outstanding + 1) × service time}, where service time is that routee's moving
 * average for the task's type. A routee with no sample yet is assumed as fast as the average of those
 * with one, so it gets tried without being flooded. Ties go to a local routee, then to the less loaded.
 *
 * <p>Two random choices rather than the global best keep many supervisors (one per node) from all
 * piling onto the same routee between updates, at almost the same quality.
 */
final class AdaptiveRouting implements RoutingStrategy {

  private final SplittableRandom random;

  AdaptiveRouting(SplittableRandom random) {
    this.random = random;
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
    double costA = (a.outstanding + 1) * estimate(a, task.type, fallback);
    double costB = (b.outstanding + 1) * estimate(b, task.type, fallback);
    if (costA != costB) return costA < costB ? a : b;
    if (a.local != b.local) return a.local ? a : b;
    return a.outstanding <= b.outstanding ? a : b;
  }

  private static double estimate(RouteeState r, String type, double fallback) {
    double known = r.serviceNanos(type);
    return Double.isNaN(known) ? fallback : known;
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
