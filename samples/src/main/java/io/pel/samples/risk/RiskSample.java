package io.pel.samples.risk;

import io.pel.actors.ExecutionLayer;
import io.pel.samples.Sample;
import io.pel.samples.Samples;
import io.pel.samples.UsageException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * {@code ./pel run risk}: Monte Carlo value-at-risk of {@link Portfolio#sample()} on an embedded PEL
 * layer (or, as a client, on the cluster at {@code PEL_SEED_NODES}), then the same computation
 * single-threaded on the calling thread; prints both figures, whether they are identical, and the wall
 * times. Exits with 1 if the figures differ.
 */
public final class RiskSample implements Sample {

  /**
   * Warm-up runs simulate 1/10 of the requested paths (at least one). On two cores a 2% warm-up left the
   * JIT compiling during the timed PEL run, competing with both routees, and understated PEL by ~2x.
   */
  private static final int WARM_UP_DIVISOR = 10;

  @Override
  public String name() {
    return "risk";
  }

  @Override
  public String usage() {
    return RiskOptions.USAGE;
  }

  @Override
  public int run(List<String> args, PrintStream out) throws UsageException {
    RiskOptions options = RiskOptions.parse(args);
    Portfolio portfolio = Portfolio.sample();
    VarRequest request = new VarRequest(options.seed(), options.paths(), options.chunkSize(), portfolio);
    int warmPaths = Math.max(1, options.paths() / WARM_UP_DIVISOR);
    VarRequest warmUp = new VarRequest(
        options.seed() + 1, warmPaths, RiskOptions.defaultChunkSize(warmPaths), portfolio);

    try (ExecutionLayer layer = Samples.startForSample(out)) {
      out.printf(Locale.ROOT, "risk: 99%% VaR of %d assets and %d options over %d trading days, seed %d%n",
          portfolio.assets().size(), portfolio.options().size(), portfolio.horizonDays(), options.seed());
      out.printf(Locale.ROOT, "warm-up: %,d paths on PEL and single-threaded first (not timed)%n", warmPaths);
      layer.submit(RiskTasks.VAR, warmUp).toCompletableFuture().join();
      RiskJob.runSequential(warmUp);

      Timed<VarResult> pel = Timed.of(() -> layer.submit(RiskTasks.VAR, request).toCompletableFuture().join());
      Timed<VarResult> single = Timed.of(() -> RiskJob.runSequential(request));
      VarResult p = pel.value();
      boolean same = p.sameFigures(single.value());

      out.printf(Locale.ROOT, "paths %,d, chunks %,d of up to %,d paths, routees %d, tail paths K = %,d%n",
          p.paths(), p.chunks(), options.chunkSize(), layer.stats().routees(), p.tailSize());
      printFigures(out, "PEL", p);
      printFigures(out, "single-threaded", single.value());
      out.println("figures identical: " + (same ? "yes" : "NO"));
      printTime(out, "PEL", pel.seconds(), p.paths());
      printTime(out, "single-threaded", single.seconds(), p.paths());
      out.printf(Locale.ROOT, "speed-up (single / PEL): %.2fx%n", single.seconds() / pel.seconds());
      Samples.printClusterSummary(layer, out);
      return same ? 0 : 1;
    }
  }

  private static void printFigures(PrintStream out, String label, VarResult r) {
    out.printf(Locale.ROOT, "%-16s VaR 99%% %,.2f   ES 99%% %,.2f%n", label, r.valueAtRisk(), r.expectedShortfall());
  }

  private static void printTime(PrintStream out, String label, double seconds, int paths) {
    out.printf(Locale.ROOT, "%-16s %8.3f s   %,12.0f paths/s%n", label, seconds, paths / seconds);
  }

  /** A value and the wall time it took to compute. */
  private record Timed<T>(T value, double seconds) {
    static <T> Timed<T> of(Supplier<T> work) {
      long start = System.nanoTime();
      T value = work.get();
      return new Timed<>(value, (System.nanoTime() - start) / 1e9);
    }
  }
}
