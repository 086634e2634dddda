package io.pel.samples.tasks;

import io.pel.actors.ExecutionLayer;
import io.pel.samples.Sample;
import io.pel.samples.Samples;
import io.pel.samples.UsageException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./pel run tasks [--count N] [--window W]}: PEL's dispatch overhead. Runs N trivial tasks on an
 * embedded layer (or, as a client, on the cluster at {@code PEL_SEED_NODES}) with at most W in flight,
 * after a warm-up of N/5, and prints tasks per second and whether the checksum proves each task ran
 * exactly once. Exits with 1 if it does not.
 */
public final class TinyTasksSample implements Sample {

  static final String USAGE = """
      usage: ./pel run tasks [--count N] [--window W]
        --count N    trivial tasks to run, 1..100,000,000 (default 1,000,000)
        --window W   tasks in flight at most, 1..10,000 (default 2,000)""";

  @Override
  public String name() {
    return "tasks";
  }

  @Override
  public String usage() {
    return USAGE;
  }

  @Override
  public int run(List<String> args, PrintStream out) throws UsageException {
    Map<String, String> options = UsageException.options(args, "--count", "--window");
    long count = UsageException.wholeNumber(options, "--count", 1, 100_000_000, 1_000_000);
    int window = (int) UsageException.wholeNumber(options, "--window", 1, 10_000, 2_000);
    try (ExecutionLayer layer = Samples.startForSample(out)) {
      TinyTasks.run(layer, Math.max(1, count / 5), window);
      TinyTasks.Result result = TinyTasks.run(layer, count, window);
      boolean exact = result.checksum() == TinyTasks.expectedChecksum(count);
      out.printf(Locale.ROOT, "tasks: %,d trivial tasks, window %,d, %d routees (after a warm-up of %,d)%n",
          count, window, layer.stats().routees(), Math.max(1, count / 5));
      out.printf(Locale.ROOT, "time %.3f s   %,.0f tasks/s   checksum %s%n",
          result.nanos() / 1e9, result.tasksPerSecond(), exact ? "exact" : "WRONG");
      Samples.printClusterSummary(layer, out);
      return exact ? 0 : 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }
}
