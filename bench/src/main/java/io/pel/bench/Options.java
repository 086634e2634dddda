package io.pel.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What {@code ./pel bench} was asked to run.
 *
 * @param workloads the workloads in the order given; {@link #DEFAULT_WORKLOADS} by default
 * @param engines the engines to run; empty for all
 * @param scale multiplies every workload's size (1 is the full size)
 * @param warmups unmeasured runs of each engine before the measured ones
 * @param iterations measured runs of each engine; the median is reported
 * @param rate tasks/s of the {@code remote} workload's latency runs
 */
public record Options(List<String> workloads, Set<String> engines, double scale, int warmups, int iterations, int rate) {

  /** The workload that starts a second JVM; it runs only when asked for, after the others. */
  public static final String REMOTE = "remote";
  /** The workload of the streaming service: a node in a second JVM; it runs only when asked for, after the others. */
  public static final String HTTP = "http";
  /** The workload of one task's round trip on the idle layer. */
  public static final String LATENCY = "latency";
  /** Every workload. */
  public static final List<String> WORKLOADS = List.of("tasks", "cpumap", "wordcount", "memory", LATENCY, REMOTE, HTTP);
  /**
   * The workloads of a run that names none, in the order they run: all but {@code remote} and {@code http},
   * which each add half a minute and a second JVM to every run, for a question of their own.
   */
  public static final List<String> DEFAULT_WORKLOADS = List.of("tasks", "cpumap", "wordcount", "memory", LATENCY);
  /** The highest {@code --rate}, tasks/s. */
  public static final int MAX_RATE = 1_000_000;
  /** The longest a latency run of {@code remote} may take to send its tasks. */
  public static final long MAX_SEND_SECONDS = 600;
  /** Every engine. */
  public static final List<String> ENGINES = List.of(Engine.SEQUENTIAL, Engine.PARALLEL_STREAMS, Engine.PEKKO_STREAMS,
      Engine.PEL_FLOW, Engine.PEL_BATCHED, Engine.PEL_SUBMIT);
  /** The largest scale: ten times the full size (wordcount's text is then 500 MB in memory). */
  public static final double MAX_SCALE = 10;
  /** The smallest scale: a millionth of the full size (every workload still has at least one element). */
  public static final double MIN_SCALE = 1e-6;

  public static final String USAGE = """
      usage: ./pel bench [WORKLOAD...] [--scale F] [--warmups N] [--iterations N] [--engines E,...]
             ./pel bench remote [--scale F] [--warmups N] [--iterations N] [--rate N]
             ./pel bench http [--scale F] [--warmups N] [--iterations N]
             ./pel bench jobs [--tasks N] [--sizes K,...] [--warmups N] [--iterations N]
             ./pel bench blocking [--seconds S] [--warmup S] [--iterations N]
             ./pel bench --jmh [JMH OPTIONS]

      Runs each workload on each engine, one after the other in this JVM, and prints one Markdown table:
      median seconds, throughput, how many times faster PEL (pel-flow) is, and the checksum, which must
      agree between engines (exit code 1 if it does not). Progress goes to standard error.

      workloads (default: all but remote and http, in this order)
        tasks        1,000,000 tiny tasks, i -> mix64(i): what one task costs to dispatch
        cpumap       20,000 CPU-bound elements of 80-90 us each: parallel efficiency
        wordcount    50 MB of Zipf text over 50,000 words, counted per word: keyed aggregation
        memory       heap in use after 1,000,000 and after 10,000,000 elements through a ParallelFlow
        latency      one task at a time on the idle layer, 20,000 round trips after 5,000 of warm-up:
                     submit to result, p50, p90 and p99 (about a second)
        remote       only when named, after the others (about 60 s): starts a worker JVM on loopback;
                     tiny tasks submitted by a client layer here run there (cross-jvm) and, for
                     comparison, on this JVM's layer (in-jvm): 500,000 by submit (remote-submit),
                     5,000,000 by submitBatch (remote-batch); then latency of 50,000 tasks sent at a
                     fixed rate (--rate), on both; each engine warms up for at least 8 s
                     (times --scale when below 1), as the JIT needs that long for the cross-JVM path
        http         only when named, after the others (about 30 s): starts ./pel start's node
                     (samples/target/pel-samples.jar, built) in a JVM of its own and streams 200,000
                     NDJSON lines (JSON strings of 40 characters) through POST /v1/streams/sha256,
                     in order (pel-service) and with ?ordered=false (pel-service-unordered), against a
                     plain Pekko HTTP route in this JVM that hashes each line inline (pekko-http),
                     and the same gathering its answer lines into chunks as PEL's service does
                     (pekko-http-gathered); every answer line is checked
      engines
        sequential, parallel-streams, pekko-streams, pel-flow (ParallelFlow untuned), pel-batched
        (ParallelFlow batched by hand; tasks only), pel-submit (tasks and cpumap); remote runs its
        own two, in-jvm and cross-jvm, and http its own four
      options
        --scale F        multiply every size by F, 0.000001..10 (default 1)
        --warmups N      unmeasured runs per engine, 0..10 (default 1)
        --iterations N   measured runs per engine, 1..100 (default 3)
        --engines E,...  run only these engines (not with remote or http)
        --rate N         tasks/s of remote's latency runs, 1..1000000 (default 10000; remote only)
        --jmh ...        run the JMH benchmarks of PEL's hot paths instead; the rest goes to JMH
                         ('./pel bench --jmh -h' lists JMH's options)

      blocking (only as the first argument; about 3 minutes): a blocking type (Thread.sleep(20 ms),
      declared blocking) beside a CPU-bound one (cpumap's kernel) on one node, each fed with a fixed
      number in flight: both on the default node, both with the blocking pool off (the fixed routees),
      and the CPU-bound type alone, each on a fresh layer; tasks/s and the two ratios
        --seconds S      measured seconds a phase (default 10); --warmup S before it (default 6)
        --iterations N   runs of each phase, interleaved; medians reported (default 3)

      jobs (only as the first argument; about 2 minutes): what checkpointed jobs cost, on layers whose
      job store is an H2 file in a temporary directory (deleted at the end). Tasks of about 1 us each.
        overhead     --tasks tasks by plain submit, at most pel.jobs.max-in-flight-per-job in flight,
                     against the same tasks as one job (jobs().submit, then results); tasks/s and the ratio
        recovery     for each job size, with snapshots on (pel.jobs.snapshot-every, 100) and off: a layer
                     runs the job and closes, then fresh layers on its store are timed from jobs() to the
                     first status answer, and others, once sharding is up, on that status alone; the
                     journal and snapshot rows the job left
        --tasks N        tasks of the overhead runs, 1..100000 (default 100000)
        --sizes K,...    tasks of the recovery jobs, each 1..100000, at most 5 sizes (default 10000,100000)
        --warmups N      unmeasured overhead runs and restarts, 0..10 (default 1)
        --iterations N   measured overhead runs and restarts, 1..100 (default 3)""";

  /** The default workloads at full size, one warm-up and three measured runs per engine. */
  public static Options defaults() {
    return new Options(DEFAULT_WORKLOADS, Set.of(), 1, 1, 3, RemoteWorkload.DEFAULT_RATE);
  }

  /** Parses the command line (without {@code --jmh}). */
  public static Options parse(List<String> args) throws UsageException {
    Options defaults = defaults();
    List<String> workloads = new ArrayList<>();
    Set<String> engines = new LinkedHashSet<>();
    double scale = defaults.scale();
    int warmups = defaults.warmups();
    int iterations = defaults.iterations();
    int rate = defaults.rate();
    boolean rateGiven = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        if (arg.equals(JobsOptions.MODE)) {
          throw new UsageException("jobs is a mode of its own and comes first: ./pel bench jobs [--tasks N] [--sizes K,...]");
        }
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
        case "--rate" -> {
          rate = (int) whole(arg, value, 1, MAX_RATE);
          rateGiven = true;
        }
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
    if (workloads.contains(REMOTE) && !engines.isEmpty()) {
      throw new UsageException("--engines cannot be used with remote, which always runs its own two engines, "
          + "in-jvm and cross-jvm");
    }
    if (workloads.contains(HTTP) && !engines.isEmpty()) {
      throw new UsageException("--engines cannot be used with http, which always runs its own four engines, "
          + HttpWorkload.PLAIN + ", " + HttpWorkload.PLAIN_GATHERED + ", " + HttpWorkload.PEL_ORDERED + " and " + HttpWorkload.PEL_UNORDERED);
    }
    if (rateGiven && !workloads.contains(REMOTE)) {
      throw new UsageException("--rate applies only to the remote workload: ./pel bench remote --rate N");
    }
    Options options = new Options(workloads.isEmpty() ? DEFAULT_WORKLOADS : List.copyOf(workloads), Set.copyOf(engines),
        scale, warmups, iterations, rate);
    long sendSeconds = options.scaled(RemoteWorkload.LATENCY_FULL_SIZE) / rate;
    if (workloads.contains(REMOTE) && sendSeconds > MAX_SEND_SECONDS) {
      throw new UsageException(String.format(Locale.ROOT, "--rate %d would take %d s to send remote's %,d latency tasks; "
          + "at most %d s: raise --rate or lower --scale", rate, sendSeconds, options.scaled(RemoteWorkload.LATENCY_FULL_SIZE),
          MAX_SEND_SECONDS));
    }
    return options;
  }

  /** Whether {@code engine} is to run. */
  public boolean runs(String engine) {
    return engines.isEmpty() || engines.contains(engine);
  }

  /** {@code fullSize} times the scale, at least 1. */
  public long scaled(long fullSize) {
    return Math.max(1, Math.round(fullSize * scale));
  }

  static long whole(String flag, String value, long min, long max) throws UsageException {
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
