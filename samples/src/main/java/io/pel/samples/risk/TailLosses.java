package io.pel.samples.risk;

import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Output of {@link RiskTasks#SIMULATE}: the largest losses of one chunk, largest first.
 *
 * <p>If a run needs its K largest losses, each chunk keeps its own K largest (or all, when it has
 * fewer paths): every loss among the global K largest is among its chunk's K largest, so {@link #merge}
 * of the chunks' tails is exact.
 *
 * @param chunkIndex the chunk these losses came from
 * @param largest losses in descending order (the array is owned by this record: do not modify it)
 */
public record TailLosses(int chunkIndex, double[] largest) {

  /** The {@code k} largest of {@code losses} (which is not modified), largest first. */
  public static TailLosses of(int chunkIndex, double[] losses, int k) {
    if (k < 0 || k > losses.length) throw new IllegalArgumentException("k must be 0.." + losses.length + ", was " + k);
    double[] sorted = losses.clone();
    Arrays.sort(sorted);
    double[] largest = new double[k];
    for (int i = 0; i < k; i++) largest[i] = sorted[sorted.length - 1 - i];
    return new TailLosses(chunkIndex, largest);
  }

  /**
   * The {@code k} largest losses over all {@code tails}, largest first: a k-way merge of the descending
   * arrays. The result depends only on the multiset of losses, not on the order of {@code tails}.
   *
   * @throws IllegalArgumentException if the tails hold fewer than {@code k} losses together
   */
  public static double[] merge(List<TailLosses> tails, int k) {
    PriorityQueue<int[]> heads = new PriorityQueue<>((a, b) -> Double.compare(
        tails.get(b[0]).largest[b[1]], tails.get(a[0]).largest[a[1]]));
    for (int t = 0; t < tails.size(); t++) {
      if (tails.get(t).largest.length > 0) heads.add(new int[] {t, 0});
    }
    double[] merged = new double[k];
    for (int i = 0; i < k; i++) {
      int[] head = heads.poll();
      if (head == null) throw new IllegalArgumentException("the tails hold " + i + " losses, fewer than k = " + k);
      double[] source = tails.get(head[0]).largest;
      merged[i] = source[head[1]];
      if (++head[1] < source.length) heads.add(head);
    }
    return merged;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TailLosses t && chunkIndex == t.chunkIndex && Arrays.equals(largest, t.largest);
  }

  @Override
  public int hashCode() {
    return 31 * chunkIndex + Arrays.hashCode(largest);
  }

  @Override
  public String toString() {
    return "TailLosses[chunk " + chunkIndex + ", " + largest.length + " losses]";
  }
}
