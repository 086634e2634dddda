package io.pel.bench;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.TaskType;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Runs the selected workloads on every engine, one after the other in this JVM, and prints the report:
 * one Markdown table, the targets, start-up, idle latency and memory. PEL's layer and the Pekko baseline's
 * actor system both live for the whole run; each is idle while the other engines run. Only {@code remote}
 * and {@code http} also start a second JVM, for their own engines, and stop it before the report is printed.
 */
public final class Bench {

  /** Exit code when checksums disagree or an engine failed. */
  public static final int FAILED = 1;

  private static final double MIB = 1024.0 * 1024.0;
  private static final int WARM_STARTS = 3;
  /** The start-up probe: its first result ends the measured start-up. */
  private static final TaskType<Long, Long> PROBE = TaskType.of("bench.probe", Long.class, Long.class);

  private final Options options;
  private final PrintStream out;
  private final Progress progress;
  private final List<Measurement> measurements = new ArrayList<>();
  /** The remote workload's section, once it has run. */
  private RemoteReport remoteReport;
  /** The http workload's section, once it has run. */
  private HttpReport httpReport;

  private Bench(Options options, PrintStream out, Progress progress) {
    this.options = options;
    this.out = out;
    this.progress = progress;
  }

  /** Runs {@code options} and returns the exit code: 0, or {@link #FAILED}. */
  public static int run(Options options, String commandLine, PrintStream out, Progress progress) {
    List<Workload> workloads = new ArrayList<>();
    for (String name : options.workloads()) {
      switch (name) {
        case "tasks" -> workloads.add(new TasksWorkload(options.scaled(TasksWorkload.FULL_SIZE)));
        case "cpumap" -> workloads.add(new CpuMapWorkload(options.scaled(CpuMapWorkload.FULL_SIZE)));
        case "wordcount" -> workloads.add(new WordCountWorkload(options.scaled(WordCountWorkload.FULL_SIZE)));
        case "memory", Options.LATENCY -> { } // not workloads of engines: run after them, see below
        case Options.REMOTE, Options.HTTP -> { } // need a second JVM: run after the others, see measureRemote, measureHttp
        default -> throw new IllegalArgumentException("unknown workload " + name);
      }
    }
    return new Bench(options, out, progress).run(workloads, options.workloads(), commandLine);
  }

  /** Runs {@code workloads} (and the memory check if asked) on the engines {@code options} select. */
  static int run(Options options, List<Workload> workloads, boolean memory, String commandLine, PrintStream out,
      Progress progress) {
    return new Bench(options, out, progress).run(workloads, memory ? List.of("memory") : List.of(), commandLine);
  }

  /** Runs {@code workloads}, then those of the {@code named} workloads that are not workloads of engines. */
  private int run(List<Workload> workloads, List<String> named, String commandLine) {
    boolean memory = named.contains("memory");
    out.println("# PEL bench");
    out.println();
    out.println("command: `" + commandLine + "`");
    ActorSystem<Void> pekko = null;
    progress.say("starting PEL's embedded layer");
    long start = System.nanoTime();
    ExecutionLayer layer = ExecutionLayer.start();
    try {
      firstResult(layer);
      long cold = System.nanoTime() - start;
      for (Workload w : workloads) w.register(layer);
      IdleLatency.register(layer);
      out.println();
      out.println(machine(layer));
      pekko = ActorSystem.create(Behaviors.empty(), "pekko-baseline");
      BenchContext context = new BenchContext(layer, pekko);
      String failure = null;
      for (Workload workload : workloads) {
        failure = measure(workload, context);
        if (failure != null) break;
      }
      IdleLatency.Result latency = null;
      if (failure == null && named.contains(Options.LATENCY)) {
        latency = IdleLatency.run(layer, options.scaled(IdleLatency.WARMUP_FULL_SIZE), options.scaled(IdleLatency.FULL_SIZE), progress);
      }
      if (failure == null && named.contains(Options.REMOTE)) failure = measureRemote(context);
      if (failure == null && named.contains(Options.HTTP)) failure = measureHttp(context);
      if (!measurements.isEmpty()) {
        out.println();
        printTable();
      }
      if (failure != null) {
        out.println();
        out.println("FAILED: " + failure);
        return FAILED;
      }
      if (remoteReport != null) remoteReport.print(out, this::find);
      if (httpReport != null) httpReport.print(out, this::find);
      printTargets();
      Startup startup = new Startup(cold, warmStartups());
      out.println();
      out.println("## Start-up: `ExecutionLayer.start()` to the first task's result");
      out.println();
      out.printf(Locale.ROOT, "- first start in this JVM (cold): %.0f ms%n", startup.coldNanos() / 1e6);
      out.printf(Locale.ROOT, "- later starts, median of %d: %.0f ms%n", WARM_STARTS, startup.warmNanos() / 1e6);
      if (latency != null) printLatency(latency, layer);
      if (memory) {
        MemoryCheck.Result m = MemoryCheck.run(layer, options.scaled(MemoryCheck.FULL_SIZE), progress);
        out.println();
        out.println("## Memory: heap in use after full GC, after elements through the tasks flow");
        out.println();
        out.printf(Locale.ROOT, "- after %,d elements: %.1f MiB%n", m.smallElements(), m.heapAfterSmall() / MIB);
        out.printf(Locale.ROOT, "- after %,d elements: %.1f MiB (%+.1f MiB)%n", m.largeElements(), m.heapAfterLarge() / MIB,
            (m.heapAfterLarge() - m.heapAfterSmall()) / MIB);
      }
      return 0;
    } catch (Exception e) {
      out.println();
      out.println("FAILED: " + e);
      return FAILED;
    } finally {
      progress.say("stopping");
      if (pekko != null) pekko.terminate();
      layer.close();
    }
  }

  private record Startup(long coldNanos, long warmNanos) {}

  /** One engine's runs of one workload. */
  record Measurement(Workload workload, String engine, double[] seconds, long checksum) {
    double median() {
      double[] sorted = seconds.clone();
      Arrays.sort(sorted);
      int n = sorted.length;
      return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    double throughput() {
      return workload.amount() / median();
    }
  }

  /**
   * {@code remote}: starts the worker JVM and the client layer, runs the remote workload's engines, then a
   * latency run on each layer, and keeps the report. The worker JVM is gone when this returns, whatever
   * happened. Returns what went wrong, or {@code null}.
   */
  private String measureRemote(BenchContext context) {
    progress.say("remote: starting the worker JVM (log in " + RemoteWorkerJvm.logDirectory() + ")");
    try (RemoteWorkerJvm worker = RemoteWorkerJvm.start()) {
      progress.say("remote: worker JVM pid " + worker.pid() + " is up; the client routes to its " + worker.routees()
          + " routees");
      List<RemoteWorkload> workloads = List.of(
          RemoteWorkload.submit(options.scaled(RemoteWorkload.SUBMIT_FULL_SIZE), worker.client()),
          RemoteWorkload.batches(options.scaled(RemoteWorkload.BATCH_FULL_SIZE), worker.client()));
      for (RemoteWorkload workload : workloads) {
        workload.register(context.layer());
        String failure = measure(workload, context);
        if (failure != null) return failure;
      }
      long tasks = options.scaled(RemoteWorkload.LATENCY_FULL_SIZE);
      progress.say("remote: latency of " + tasks + " tasks at " + options.rate() + " tasks/s, in-JVM");
      List<ProcessHandle> jvms = List.of(ProcessHandle.current(), worker.process());
      FixedRateLatency.Result inJvm = RemoteWorkload.latency(context.layer(), tasks, options.rate(), jvms);
      progress.say("remote: latency of " + tasks + " tasks at " + options.rate() + " tasks/s, cross-JVM");
      FixedRateLatency.Result crossJvm = RemoteWorkload.latency(worker.client(), tasks, options.rate(), jvms);
      progress.say("remote: stopping the worker JVM");
      remoteReport = new RemoteReport(worker.pid(), worker.routees(), worker.logFile(),
          context.layer().settings().workersPerNode(), warmupSeconds(workloads.get(0)), inJvm, crossJvm);
      return null;
    } catch (Exception | AssertionError e) {
      return "remote failed: " + e;
    }
  }

  /**
   * {@code http}: starts the service's node in a JVM of its own and the plain route in this one, runs the
   * http workload's engines against them, and keeps the report. The node's JVM is gone when this returns,
   * whatever happened. Returns what went wrong, or {@code null}.
   */
  private String measureHttp(BenchContext context) {
    progress.say("http: starting ./pel start's node in a JVM of its own (log in " + ServiceNodeJvm.logDirectory() + ")");
    try (ServiceNodeJvm node = ServiceNodeJvm.start(); PlainHttpService plain = PlainHttpService.start(context.pekko())) {
      progress.say("http: node pid " + node.pid() + " (" + node.routees() + " routees) serves at " + node.url()
          + "; the plain route at " + plain.url());
      long lines = options.scaled(HttpWorkload.FULL_SIZE);
      String failure = measure(new HttpWorkload(lines, node.url(), plain.url()), context);
      if (failure != null) return failure;
      progress.say("http: stopping the node");
      httpReport = new HttpReport(node.pid(), node.routees(), node.logFile(), lines);
      return null;
    } catch (Exception | AssertionError e) {
      return "http failed: " + e;
    }
  }

  private void printLatency(IdleLatency.Result latency, ExecutionLayer layer) {
    out.println();
    out.println("## Idle latency: one task at a time, `submit` to its result, in this JVM");
    out.println();
    out.printf(Locale.ROOT, "%,d round trips after %,d of warm-up, on this JVM's layer (%d routees), each task submitted "
        + "once the one before has returned its result.%n", latency.nanos().length, options.scaled(IdleLatency.WARMUP_FULL_SIZE),
        layer.settings().workersPerNode());
    out.println();
    out.printf(Locale.ROOT, "- p50 %.1f µs, p90 %.1f µs, p99 %.1f µs (max %.1f µs)%n", latency.micros(0.5), latency.micros(0.9),
        latency.micros(0.99), latency.micros(1.0));
    out.printf(Locale.ROOT, "- target: p50 ≤ %.0f µs — %.1f µs, %s%n", IdleLatency.TARGET_P50_MICROS, latency.micros(0.5),
        latency.met() ? "met" : "MISSED");
  }

  /** The least time each engine of {@code workload} warms up: none without warm-ups, and less at a scale below 1. */
  private double warmupSeconds(Workload workload) {
    return options.warmups() == 0 ? 0 : workload.warmupSeconds() * Math.min(1, options.scale());
  }

  /** Runs every selected engine of {@code workload}; returns what went wrong, or {@code null}. */
  private String measure(Workload workload, BenchContext context) {
    progress.say(workload.name() + ": preparing input");
    List<Engine> engines = workload.engines(context).stream().filter(e -> options.runs(e.name())).toList();
    Map<String, Long> checksums = new LinkedHashMap<>();
    for (Engine engine : engines) {
      String label = workload.name() + " / " + engine.name();
      try {
        Long expected = null;
        long warmupNanos = (long) (warmupSeconds(workload) * 1e9);
        long warmupStart = System.nanoTime();
        for (int i = 0; i < options.warmups() || System.nanoTime() - warmupStart < warmupNanos; i++) {
          progress.say(label + ": warm-up " + (i + 1) + (i < options.warmups() ? "/" + options.warmups()
              : String.format(Locale.ROOT, " (until %.1f s)", warmupNanos / 1e9)));
          expected = checked(label, engine.body().run(), expected);
        }
        double[] seconds = new double[options.iterations()];
        for (int i = 0; i < seconds.length; i++) {
          System.gc();
          long t0 = System.nanoTime();
          long checksum = engine.body().run();
          seconds[i] = (System.nanoTime() - t0) / 1e9;
          expected = checked(label, checksum, expected);
          progress.say(String.format(Locale.ROOT, "%s: run %d/%d %.3f s", label, i + 1, seconds.length, seconds[i]));
        }
        measurements.add(new Measurement(workload, engine.name(), seconds, expected));
        checksums.put(engine.name(), expected);
      } catch (ChecksumMismatch e) {
        return e.getMessage();
      } catch (Exception e) {
        return label + " failed: " + e;
      }
    }
    if (checksums.values().stream().distinct().count() > 1) {
      StringBuilder text = new StringBuilder(workload.name() + ": checksums disagree:");
      checksums.forEach((engine, sum) -> text.append(' ').append(engine).append('=').append(hex(sum)));
      return text.toString();
    }
    return null;
  }

  private static final class ChecksumMismatch extends Exception {
    ChecksumMismatch(String message) {
      super(message);
    }
  }

  private static long checked(String label, long checksum, Long expected) throws ChecksumMismatch {
    if (expected != null && checksum != expected) {
      throw new ChecksumMismatch(label + ": checksum " + hex(checksum) + " differs from the same engine's earlier run, "
          + hex(expected));
    }
    return checksum;
  }

  private void printTable() {
    out.println("| workload | engine | median s | throughput | PEL × | checksum |");
    out.println("|---|---|---:|---:|---:|---|");
    for (Measurement m : measurements) {
      Measurement pel = find(m.workload().name(), Engine.PEL_FLOW);
      String ratio = pel == null ? "–" : String.format(Locale.ROOT, "%.2f", m.median() / pel.median());
      out.printf(Locale.ROOT, "| %s | %s | %.3f | %s | %s | %s |%n", m.workload().name(), m.engine(), m.median(),
          throughput(m), ratio, hex(m.checksum()));
    }
    out.println();
    out.println("PEL × = this engine's median time ÷ pel-flow's: how many times faster PEL's ParallelFlow is.");
  }

  private static String throughput(Measurement m) {
    String unit = m.workload().unit();
    return unit.equals("MB")
        ? String.format(Locale.ROOT, "%.1f MB/s", m.throughput())
        : String.format(Locale.ROOT, "%,.0f %s/s", m.throughput(), unit);
  }

  private void printTargets() {
    List<String> lines = new ArrayList<>();
    for (Target target : Target.ALL) {
      Measurement pel = find(target.workload(), target.pelEngine());
      Measurement other = target.baseline() == null ? null : find(target.workload(), target.baseline());
      if (pel == null || (target.baseline() != null && other == null)) continue;
      double value = other == null ? pel.throughput() : other.median() / pel.median();
      lines.add(String.format(Locale.ROOT, "- %s: %s — %s, %s", target.workload(), target.text(),
          other == null ? String.format(Locale.ROOT, "%,.0f/s", value) : String.format(Locale.ROOT, "%.2f×", value),
          value >= target.threshold() ? "met" : "MISSED"));
    }
    if (lines.isEmpty()) return;
    out.println();
    out.println("## Targets" + (options.scale() == 1 ? "" : " (set for scale 1; this run is at scale " + options.scale() + ")"));
    out.println();
    lines.forEach(out::println);
  }

  /**
   * A target (issues 4 and 16): {@code pelEngine}'s throughput at least {@code threshold}, or, with a baseline,
   * at least {@code threshold} times the baseline's.
   */
  record Target(String workload, String pelEngine, String baseline, double threshold, String text) {
    static final List<Target> ALL = List.of(
        new Target("tasks", Engine.PEL_FLOW, Engine.PEKKO_STREAMS, 10, "PEL ParallelFlow, untuned, ≥ 10 × plain Pekko Streams"),
        new Target("tasks", Engine.PEL_SUBMIT, Engine.PEKKO_STREAMS, 4, "PEL submit ≥ 4 × plain Pekko Streams"),
        new Target("tasks", Engine.PEL_BATCHED, null, 4_000_000, "PEL ParallelFlow batched by hand ≥ 4,000,000 tasks/s"),
        new Target("cpumap", Engine.PEL_FLOW, Engine.PARALLEL_STREAMS, 0.97, "PEL ParallelFlow, untuned, ≥ 0.97 × parallel streams"),
        new Target("cpumap", Engine.PEL_SUBMIT, Engine.PARALLEL_STREAMS, 0.95, "PEL submit ≥ 0.95 × parallel streams"),
        new Target("wordcount", Engine.PEL_FLOW, Engine.PARALLEL_STREAMS, 0.95, "PEL ≥ 0.95 × parallel streams"),
        new Target("wordcount", Engine.PEL_FLOW, Engine.PEKKO_STREAMS, 1.5, "PEL ≥ 1.5 × plain Pekko Streams"));
  }

  private Measurement find(String workload, String engine) {
    for (Measurement m : measurements) {
      if (m.workload().name().equals(workload) && m.engine().equals(engine)) return m;
    }
    return null;
  }

  /** Median time from {@code start()} to the first result over {@link #WARM_STARTS} more layers, started and closed in turn. */
  private long warmStartups() throws Exception {
    long[] nanos = new long[WARM_STARTS];
    for (int i = 0; i < WARM_STARTS; i++) {
      progress.say("start-up: layer " + (i + 1) + "/" + WARM_STARTS);
      long t0 = System.nanoTime();
      try (ExecutionLayer layer = ExecutionLayer.start()) {
        firstResult(layer);
        nanos[i] = System.nanoTime() - t0;
      }
    }
    Arrays.sort(nanos);
    return nanos[WARM_STARTS / 2];
  }

  /** Registers the probe on a fresh {@code layer} and waits for its first result. */
  private static void firstResult(ExecutionLayer layer) throws Exception {
    layer.register(PROBE, (i, ctx) -> i);
    BenchContext.await(layer.submit(PROBE, 1L));
  }

  /** The machine, the JVM and the layer's routees, in one line. */
  static String machine(ExecutionLayer layer) {
    Runtime rt = Runtime.getRuntime();
    return String.format(Locale.ROOT, "machine: %d cores, %s %s (%s), max heap %.0f MiB, %s %s; PEL: %d routees",
        rt.availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
        System.getProperty("java.vm.vendor"), rt.maxMemory() / MIB, System.getProperty("os.name"),
        System.getProperty("os.arch"), layer.settings().workersPerNode());
  }

  static String hex(long checksum) {
    return String.format("%016x", checksum);
  }
}
