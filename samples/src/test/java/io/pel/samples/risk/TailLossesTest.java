package io.pel.samples.risk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class TailLossesTest {

  @Test
  void mergeOfChunkTailsEqualsSortingAllLosses() {
    VarRequest request = new VarRequest(11, 5_000, 64, Portfolio.sample());
    int k = RiskJob.tailSize(request.paths());
    PathSimulator simulator = new PathSimulator(request.portfolio());
    List<TailLosses> tails = new ArrayList<>();
    double[] all = new double[request.paths()];
    int filled = 0;
    for (ChunkRequest chunk : RiskJob.plan(request)) {
      double[] losses = simulator.losses(chunk.seed(), chunk.chunkIndex(), chunk.paths());
      System.arraycopy(losses, 0, all, filled, losses.length);
      filled += losses.length;
      tails.add(RiskJob.simulate(chunk));
    }
    assertEquals(request.paths(), filled);
    Arrays.sort(all);
    double[] expected = new double[k];
    double sum = 0;
    for (int i = 0; i < k; i++) {
      expected[i] = all[all.length - 1 - i];
      sum += expected[i];
    }
    assertArrayEquals(expected, TailLosses.merge(tails, k));

    Collections.shuffle(tails, new java.util.Random(3));
    VarResult result = RiskJob.combine(request, tails);
    assertEquals(expected[k - 1], result.valueAtRisk());
    assertEquals(sum / k, result.expectedShortfall());
  }

  @Test
  void keepsTheLargestDescending() {
    TailLosses tail = TailLosses.of(4, new double[] {3, -1, 7, 7, 0, 5}, 3);
    assertEquals(4, tail.chunkIndex());
    assertArrayEquals(new double[] {7, 7, 5}, tail.largest());
  }

  @Test
  void mergeNeedsEnoughLosses() {
    List<TailLosses> tails = List.of(TailLosses.of(0, new double[] {1, 2}, 2));
    assertThrows(IllegalArgumentException.class, () -> TailLosses.merge(tails, 3));
  }

  @Test
  void chunkStreamsDependOnSeedAndIndexOnly() {
    PathSimulator simulator = new PathSimulator(Portfolio.sample());
    assertArrayEquals(simulator.losses(5, 3, 100), simulator.losses(5, 3, 100));
    assertArrayEquals(simulator.losses(5, 3, 100), new PathSimulator(Portfolio.sample()).losses(5, 3, 100));
    double[] other = simulator.losses(5, 4, 100);
    assertEquals(false, Arrays.equals(simulator.losses(5, 3, 100), other));
  }

  @Test
  void tailSizeIsOnePercentRoundedUp() {
    assertEquals(1, RiskJob.tailSize(1));
    assertEquals(1, RiskJob.tailSize(100));
    assertEquals(2, RiskJob.tailSize(101));
    assertEquals(10_000, RiskJob.tailSize(1_000_000));
  }

  @Test
  void planCoversEveryPathOnceAndCapsTheTailAtTheChunk() {
    List<ChunkRequest> chunks = RiskJob.plan(new VarRequest(1, 1_050, 100, Portfolio.sample()));
    assertEquals(11, chunks.size());
    assertEquals(1_050, chunks.stream().mapToInt(ChunkRequest::paths).sum());
    assertEquals(50, chunks.get(10).paths());
    assertEquals(11, chunks.get(0).tailSize());
    assertEquals(11, chunks.get(10).tailSize());
    List<ChunkRequest> small = RiskJob.plan(new VarRequest(1, 10_000, 30, Portfolio.sample()));
    assertEquals(30, small.get(0).tailSize());
  }
}
