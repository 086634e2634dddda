package io.pel.samples.ledger;

import io.pel.actors.ExecutionLayer;
import io.pel.samples.Sample;
import io.pel.samples.Samples;
import io.pel.samples.UsageException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code ./pel run ledger}: a block of transactions executed on PEL's routees and sequentially, in the
 * same run; prints transactions per second, the speed-up, the reverted transactions and both state
 * hashes, and exits with 1 if the two runs did not end in the same state with the same receipts. {@code
 * --sweep} does so for 2, 10, 100, 1,000 and 10,000 accounts, from heavy to light contention.
 */
public final class LedgerSample implements Sample {

  static final String USAGE = """
      usage: ./pel run ledger [--accounts N] [--txs M] [--seed S] [--work W] [--batch B] [--sweep]
        --accounts N  accounts, 2..1,000,000 (default 1,000); pools and markets: one per 50 accounts
        --txs M       transactions in the block, 1..2,000,000 (default 20,000)
        --seed S      seed of the block (default 1)
        --work W      SHA-256 rounds per transaction standing in for contract code, 0..100,000
                      (default 256; swaps spend 3x, borrows and unstakes 2x)
        --batch B     most transactions per task, 1..1,024 (default 64)
        --sweep       run blocks of M transactions over 2, 10, 100, 1,000 and 10,000 accounts
                      and print a table (--accounts is then not allowed)""";

  /** Account counts of {@code --sweep}, from every transaction conflicting to almost none. */
  static final int[] SWEEP = {2, 10, 100, 1_000, 10_000};

  @Override
  public String name() {
    return "ledger";
  }

  @Override
  public String usage() {
    return USAGE;
  }

  @Override
  public int run(List<String> args, PrintStream out) throws UsageException {
    List<String> rest = new ArrayList<>(args);
    boolean sweep = rest.removeIf("--sweep"::equals);
    Map<String, String> options = UsageException.options(rest, "--accounts", "--txs", "--seed", "--work", "--batch");
    if (sweep && options.containsKey("--accounts")) throw new UsageException("--sweep sets the accounts itself; drop --accounts");
    int accounts = (int) UsageException.wholeNumber(options, "--accounts", 2, 1_000_000, 1_000);
    int txs = (int) UsageException.wholeNumber(options, "--txs", 1, 2_000_000, 20_000);
    long seed = UsageException.wholeNumber(options, "--seed", Long.MIN_VALUE, Long.MAX_VALUE, 1);
    int work = (int) UsageException.wholeNumber(options, "--work", 0, 100_000, 256);
    int batch = (int) UsageException.wholeNumber(options, "--batch", 1, LedgerTasks.MAX_BATCH, 64);

    try (ExecutionLayer layer = Samples.startForSample(out)) {
      warmUp(layer, txs, seed, work, batch, out);
      boolean identical = sweep ? sweep(layer, txs, seed, work, batch, out) : single(layer, accounts, txs, seed, work, batch, out);
      Samples.printClusterSummary(layer, out);
      return identical ? 0 : 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private static boolean single(ExecutionLayer layer, int accounts, int txs, long seed, int work, int batch, PrintStream out)
      throws InterruptedException {
    BlockGenerator.Spec spec = BlockGenerator.Spec.of(accounts, txs, seed, work);
    out.printf(Locale.ROOT, "ledger: %,d transactions over %,d accounts, %s, %s; seed %d; work %d SHA-256 rounds "
        + "per transaction (swaps 3x, borrows and unstakes 2x)%n", txs, accounts, count(spec.pools(), "pool"), count(spec.pools(), "market"), seed, work);
    Comparison c = Comparison.of(layer, BlockGenerator.generate(spec), batch);
    ParallelExecution.Run run = c.parallel();
    out.printf(Locale.ROOT, "conflicts: %,d dependencies; the longest chain holds %,d transactions (1 in %.1f), which run one after another%n",
        run.dependencies(), run.longestChain(), (double) txs / run.longestChain());
    out.printf(Locale.ROOT, "times: median of %d runs each, sequential and PEL alternately%n", Comparison.RUNS);
    out.printf(Locale.ROOT, "sequential %8.3f s %,12.0f tx/s%n", c.sequentialSeconds(), txs / c.sequentialSeconds());
    out.printf(Locale.ROOT, "PEL        %8.3f s %,12.0f tx/s   %d routees, %,d tasks of %.1f transactions on average%n",
        c.parallelSeconds(), txs / c.parallelSeconds(), layer.stats().routees(), run.batches(), (double) txs / run.batches());
    out.printf(Locale.ROOT, "speed-up (sequential / PEL): %.2fx%n", c.speedUp());
    LedgerOutcome seq = c.sequential();
    out.printf(Locale.ROOT, "reverted: %,d of %,d%s%n", seq.reverted(), txs, seq.reverted() == 0 ? "" : " (" + causes(seq) + ")");
    out.println("state hash    sequential " + seq.stateHash());
    out.println("              PEL        " + run.outcome().stateHash());
    out.println("receipts hash sequential " + seq.receiptsHash());
    out.println("              PEL        " + run.outcome().receiptsHash());
    out.println("identical: " + (c.identical() ? "yes (every balance, stake, loan and reserve, and every receipt)" : "NO"));
    return c.identical();
  }

  private static boolean sweep(ExecutionLayer layer, int txs, long seed, int work, int batch, PrintStream out)
      throws InterruptedException {
    out.printf(Locale.ROOT, "ledger sweep: %,d transactions per block, seed %d, work %d, %d routees; times: median of %d runs each%n",
        txs, seed, work, layer.stats().routees(), Comparison.RUNS);
    out.printf(Locale.ROOT, "%9s %6s %14s %9s %16s %12s %9s  %s%n",
        "accounts", "pools", "longest chain", "reverted", "sequential tx/s", "PEL tx/s", "speed-up", "state hash (both runs)");
    boolean all = true;
    for (int accounts : SWEEP) {
      BlockGenerator.Spec spec = BlockGenerator.Spec.of(accounts, txs, seed, work);
      Comparison c = Comparison.of(layer, BlockGenerator.generate(spec), batch);
      all &= c.identical();
      out.printf(Locale.ROOT, "%,9d %,6d %,14d %,9d %,16.0f %,12.0f %8.2fx  %s%n", accounts, spec.pools(),
          c.parallel().longestChain(), c.sequential().reverted(), txs / c.sequentialSeconds(), txs / c.parallelSeconds(),
          c.speedUp(), c.identical() ? c.sequential().stateHash().substring(0, 16) + " identical" : "DIFFERENT");
    }
    return all;
  }

  /** Runs a block a fifth of the size (at least 1,000) both ways first, so the timed runs find the code compiled. */
  private static void warmUp(ExecutionLayer layer, int txs, long seed, int work, int batch, PrintStream out)
      throws InterruptedException {
    int size = Math.max(1_000, txs / 5);
    out.printf(Locale.ROOT, "warm-up: %,d transactions sequentially and on PEL (not timed)%n", size);
    Comparison.of(layer, BlockGenerator.generate(BlockGenerator.Spec.of(1_000, size, seed + 1, work)), batch);
  }

  private static String causes(LedgerOutcome outcome) {
    return outcome.revertsByCause().entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .map(e -> String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue()))
        .collect(Collectors.joining(", "));
  }

  private static String count(int n, String noun) {
    return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
  }

  /**
   * One block executed {@link #RUNS} times sequentially and on PEL, alternately; the times are the medians,
   * which a shared, noisy machine needs. Identical only if every parallel run ended in the sequential state.
   */
  record Comparison(LedgerOutcome sequential, double sequentialSeconds, ParallelExecution.Run parallel, double parallelSeconds,
      boolean identical) {

    static final int RUNS = 3;

    static Comparison of(ExecutionLayer layer, Block block, int batch) throws InterruptedException {
      double[] sequentialTimes = new double[RUNS];
      double[] parallelTimes = new double[RUNS];
      LedgerOutcome sequential = null;
      ParallelExecution.Run parallel = null;
      boolean identical = true;
      for (int i = 0; i < RUNS; i++) {
        long start = System.nanoTime();
        sequential = Execution.runSequentially(block);
        long middle = System.nanoTime();
        parallel = ParallelExecution.run(layer, block, batch);
        long end = System.nanoTime();
        sequentialTimes[i] = (middle - start) / 1e9;
        parallelTimes[i] = (end - middle) / 1e9;
        identical &= sequential.sameAs(parallel.outcome());
      }
      return new Comparison(sequential, median(sequentialTimes), parallel, median(parallelTimes), identical);
    }

    private static double median(double[] values) {
      double[] sorted = values.clone();
      Arrays.sort(sorted);
      return sorted[sorted.length / 2];
    }

    double speedUp() {
      return sequentialSeconds / parallelSeconds;
    }
  }
}
