package io.pel.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@code ./pel bench} was asked to run.
 *
 * @param workloads the workloads in the order given; all of them by default
 * @param engines the engines to run; empty for all
 * @param scale multiplies every workload's size (1 is the full size)
 * @param warmups unmeasured runs of each engine before the measured ones
 * @param iterations measured runs of each engine; the median is reported
 */
public record Options(List<String> workloads, Set<String> engines, double scale, int warmups, int iterations) {

  /** Every workload, in the order they run by default. */
  public static final List<String> WORKLOADS = List.of("tasks", "cpumap", "wordcount", "memory");
  /** Every engine. */
  public static final List<String> ENGINES = List.of(Engine.SEQUENTIAL, Engine.PARALLEL_STREAMS, Engine.PEKKO_STREAMS,
      Engine.PEL_FLOW, Engine.PEL_SUBMIT);
  /** The largest scale: ten times the full size (wordcount's text is then 500 MB in memory). */
  public static final double MAX_SCALE = 10;
  /** The smallest scale: a millionth of the full size (every workload still has at least one element). */
  public static final double MIN_SCALE = 1e-6;

  public static final String USAGE = """
      usage: ./pel bench [WORKLOAD...] [--scale F] [--warmups N] [--iterations N] [--engines E,...]
             ./pel bench --jmh [JMH OPTIONS]

      Runs each workload on each engine, one after the other in this JVM, and prints one Markdown table:
      median seconds, throughput, how many times faster PEL (pel-flow) is, and the checksum, which must
      agree between engines (exit code 1 if it does not). Progress goes to standard error.

      workloads (default: all, in this order)
        tasks        1,000,000 tiny tasks, i -> mix64(i): what one task costs to dispatch
        cpumap       20,000 CPU-bound elements of 80-90 us each: parallel efficiency
        wordcount    50 MB of Zipf text over 50,000 words, counted per word: keyed aggregation
        memory       heap in use after 1,000,000 and after 10,000,000 elements through a ParallelFlow
      engines
        sequential, parallel-streams, pekko-streams, pel-flow, pel-submit (tasks only)
      options
        --scale F        multiply every size by F, 0.000001..10 (default 1)
        --warmups N      unmeasured runs per engine, 0..10 (default 1)
        --iterations N   measured runs per engine, 1..100 (default 3)
        --engines E,...  run only these engines
        --jmh ...        run the JMH benchmarks of PEL's hot paths instead; the rest goes to JMH
                         ('./pel bench --jmh -h' lists JMH's options)""";

  /** All workloads at full size, one warm-up and three measured runs per engine. */
  public static Options defaults() {
    return new Options(WORKLOADS, Set.of(), 1, 1, 3);
  }

  /** Parses the command line (without {@code --jmh}). */
  public static Options parse(List<String> args) throws UsageException {
    Options defaults = defaults();
    List<String> workloads = new ArrayList<>();
    Set<String> engines = new LinkedHashSet<>();
    double scale = defaults.scale();
    int warmups = defaults.warmups();
    int iterations = defaults.iterations();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        if (!WORKLOADS.contains(arg)) {
          throw new UsageException("unknown workload '" + arg + "'; workloads: " + String.join(", ", WORKLOADS));
        }
        if (!workloads.contains(arg)) workloads.add(arg);
        continue;
      }
      if (i + 1 >= args.size()) throw new UsageException("option " + arg + " needs a value");
      String value = args.get(++i);
      switch (arg) {
        case "--scale" -> scale = scale(value);
        case "--warmups" -> warmups = (int) whole(arg, value, 0, 10);
        case "--iterations" -> iterations = (int) whole(arg, value, 1, 100);
        case "--engines" -> {
          for (String engine : value.split(",", -1)) {
            if (!ENGINES.contains(engine)) {
              throw new UsageException("unknown engine '" + engine + "' in --engines; engines: " + String.join(", ", ENGINES));
            }
            engines.add(engine);
          }
        }
        default -> throw new UsageException("unknown option '" + arg + "'");
      }
    }
    return new Options(workloads.isEmpty() ? WORKLOADS : List.copyOf(workloads), Set.copyOf(engines), scale, warmups,
        iterations);
  }

  /** Whether {@code engine} is to run. */
  public boolean runs(String engine) {
    return engines.isEmpty() || engines.contains(engine);
  }

  /** {@code fullSize} times the scale, at least 1. */
  public long scaled(long fullSize) {
    return Math.max(1, Math.round(fullSize * scale));
  }

  private static long whole(String flag, String value, long min, long max) throws UsageException {
    long n;
    try {
      n = Long.parseLong(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new UsageException(flag + " '" + value + "' is not a whole number");
    }
    if (n < min || n > max) throw new UsageException(flag + " '" + value + "' is out of range " + min + ".." + max);
    return n;
  }

  private static double scale(String value) throws UsageException {
    double x;
    try {
      x = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new UsageException("--scale '" + value + "' is not a number");
    }
    if (!(x >= MIN_SCALE && x <= MAX_SCALE)) throw new UsageException("--scale '" + value + "' is out of range 0.000001..10");
    return x;
  }
}
