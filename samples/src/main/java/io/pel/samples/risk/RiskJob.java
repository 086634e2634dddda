package io.pel.samples.risk;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The value-at-risk computation split into its three parts &mdash; plan the chunks, simulate one chunk,
 * combine the chunks' tails &mdash; so that PEL's tasks and the single-threaded baseline run exactly the
 * same code and give bit-identical figures.
 */
public final class RiskJob {

  /** The tail probability: VaR and ES at 99%. */
  public static final double TAIL = 0.01;

  private RiskJob() {}

  /** K: the number of tail paths, ceil(1% of {@code paths}), at least 1. */
  public static int tailSize(int paths) {
    return Math.max(1, (int) ((paths + 99L) / 100));
  }

  /** The chunks of {@code request}, in index order; each keeps min(K, its paths) losses. */
  public static List<ChunkRequest> plan(VarRequest request) {
    int tail = tailSize(request.paths());
    List<ChunkRequest> chunks = new ArrayList<>();
    int index = 0;
    for (long start = 0; start < request.paths(); start += request.chunkSize(), index++) {
      int paths = (int) Math.min(request.chunkSize(), request.paths() - start);
      chunks.add(new ChunkRequest(request.seed(), index, paths, Math.min(tail, paths), request.portfolio()));
    }
    return chunks;
  }

  /** Simulates one chunk and keeps its largest losses. */
  public static TailLosses simulate(ChunkRequest chunk) {
    double[] losses = new PathSimulator(chunk.portfolio()).losses(chunk.seed(), chunk.chunkIndex(), chunk.paths());
    return TailLosses.of(chunk.chunkIndex(), losses, chunk.tailSize());
  }

  /**
   * VaR and ES from the tails of every chunk of {@code request}, in any order. The K largest losses are
   * summed largest first, a fixed order, so the figures do not depend on how the chunks were scheduled.
   */
  public static VarResult combine(VarRequest request, List<TailLosses> tails) {
    List<TailLosses> ordered = new ArrayList<>(tails);
    ordered.sort(Comparator.comparingInt(TailLosses::chunkIndex));
    int k = tailSize(request.paths());
    double[] largest = TailLosses.merge(ordered, k);
    double sum = 0.0;
    for (double loss : largest) sum += loss;
    return new VarResult(request.paths(), ordered.size(), k, largest[k - 1], sum / k);
  }

  /** The baseline: every chunk simulated in a plain loop on the calling thread, then combined. */
  public static VarResult runSequential(VarRequest request) {
    List<TailLosses> tails = new ArrayList<>();
    for (ChunkRequest chunk : plan(request)) tails.add(simulate(chunk));
    return combine(request, tails);
  }
}
