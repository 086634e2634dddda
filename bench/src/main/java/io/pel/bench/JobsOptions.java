package io.pel.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code ./pel bench jobs} was asked to run.
 *
 * @param tasks tasks of each overhead run, plain and as one job
 * @param sizes completed tasks of the recovery runs' jobs, in the order given
 * @param warmups unmeasured overhead runs of each kind, and unmeasured restarts before the measured ones
 * @param iterations measured overhead runs of each kind, and measured restarts per job; the median is reported
 */
public record JobsOptions(int tasks, List<Integer> sizes, int warmups, int iterations) {

  /** The mode's name: the first argument of {@code ./pel bench jobs}. */
  public static final String MODE = "jobs";
  /** Tasks of the overhead runs by default. */
  public static final int DEFAULT_TASKS = 100_000;
  /** Job sizes of the recovery runs by default. */
  public static final List<Integer> DEFAULT_SIZES = List.of(10_000, 100_000);
  /** The most tasks a job may have: {@code pel.jobs.max-tasks-per-job}'s default, which the bench keeps. */
  public static final int MAX_TASKS = 100_000;
  /** The most sizes one run may have. */
  public static final int MAX_SIZES = 5;

  /** The defaults: 100,000 tasks, jobs of 10,000 and 100,000 tasks, one warm-up and three measured runs. */
  public static JobsOptions defaults() {
    return new JobsOptions(DEFAULT_TASKS, DEFAULT_SIZES, 1, 3);
  }

  /** Parses the arguments after {@code jobs}. */
  public static JobsOptions parse(List<String> args) throws UsageException {
    JobsOptions defaults = defaults();
    int tasks = defaults.tasks();
    List<Integer> sizes = defaults.sizes();
    int warmups = defaults.warmups();
    int iterations = defaults.iterations();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        throw new UsageException("jobs takes options only, not '" + arg + "': ./pel bench jobs [--tasks N] [--sizes K,...] "
            + "[--warmups N] [--iterations N]");
      }
      if (i + 1 >= args.size()) throw new UsageException("option " + arg + " needs a value");
      String value = args.get(++i);
      switch (arg) {
        case "--tasks" -> tasks = (int) Options.whole(arg, value, 1, MAX_TASKS);
        case "--sizes" -> sizes = sizes(value);
        case "--warmups" -> warmups = (int) Options.whole(arg, value, 0, 10);
        case "--iterations" -> iterations = (int) Options.whole(arg, value, 1, 100);
        case "--scale", "--engines", "--rate" -> throw new UsageException(arg + " does not apply to jobs; jobs takes "
            + "--tasks, --sizes, --warmups and --iterations");
        default -> throw new UsageException("unknown option '" + arg + "'");
      }
    }
    return new JobsOptions(tasks, sizes, warmups, iterations);
  }

  private static List<Integer> sizes(String value) throws UsageException {
    List<Integer> sizes = new ArrayList<>();
    for (String size : value.split(",", -1)) {
      int k = (int) Options.whole("--sizes", size, 1, MAX_TASKS);
      if (sizes.contains(k)) throw new UsageException("--sizes '" + value + "' names " + size + " twice");
      sizes.add(k);
    }
    if (sizes.size() > MAX_SIZES) throw new UsageException("--sizes '" + value + "' has " + sizes.size() + " sizes; at most " + MAX_SIZES);
    return List.copyOf(sizes);
  }
}
