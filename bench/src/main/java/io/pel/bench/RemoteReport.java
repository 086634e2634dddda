package io.pel.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * The {@code remote} workload's section of the report: cross-JVM throughput against in-JVM for each path,
 * then the latency runs.
 *
 * @param workerPid the worker JVM's process id (gone by the time this is printed)
 * @param workerRoutees the worker's routees
 * @param workerLog the worker JVM's log file
 * @param localRoutees the routees of this JVM's own layer, the in-JVM baseline
 * @param inJvm the latency run on this JVM's layer
 * @param crossJvm the latency run through the client layer, executed in the worker JVM
 */
record RemoteReport(long workerPid, int workerRoutees, Path workerLog, int localRoutees, double warmupSeconds,
    FixedRateLatency.Result inJvm, FixedRateLatency.Result crossJvm) {

  /** Prints the section; {@code measurement} gives the measurement of a workload's engine. */
  void print(PrintStream out, BiFunction<String, String, Bench.Measurement> measurement) {
    out.println();
    out.println("## Cross-JVM: submitted in this JVM, run in a worker JVM on loopback");
    out.println();
    out.printf(Locale.ROOT, "Worker JVM: pid %d, %d routees (pel.workers-per-node = auto), %s, log %s. This JVM: a "
        + "client layer (roles [client]) with no routees. In-JVM: the same client code on this JVM's own layer "
        + "(%d routees). Every engine warms up for at least %.1f s before its measured runs: the JIT takes that long "
        + "to compile the cross-JVM path of both JVMs.%n", workerPid, workerRoutees, String.join(" ", RemoteWorkerJvm.JVM_OPTIONS),
        workerLog, localRoutees, warmupSeconds);
    out.println();
    out.println("| path | in-JVM tasks/s | cross-JVM tasks/s | cross-JVM ÷ in-JVM |");
    out.println("|---|---:|---:|---:|");
    row(out, String.format(Locale.ROOT, "%s: submit, %,d in flight", RemoteWorkload.SUBMIT, TasksWorkload.SUBMIT_WINDOW),
        RemoteWorkload.SUBMIT, measurement);
    row(out, String.format(Locale.ROOT, "%s: submitBatch of %,d, %d batches in flight", RemoteWorkload.BATCH,
        RemoteWorkload.BATCH_SIZE, RemoteWorkload.BATCH_WINDOW), RemoteWorkload.BATCH, measurement);
    out.println();
    out.printf(Locale.ROOT, "Latency at a fixed rate of %,d tasks/s, %,d tasks one by one by submit: task i is due at "
        + "t0 + i / rate and never skipped; its latency runs from its due time to its result (no coordinated "
        + "omission). One run per layer, after its throughput runs. CPU: cores both JVMs kept busy on average "
        + "during the run.%n", crossJvm.rate(), crossJvm.tasks());
    out.println();
    out.println("| layer | achieved tasks/s | p50 µs | p99 µs | p99.9 µs | max µs | sender late p99 µs | CPU, both JVMs |");
    out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    latencyRow(out, "in-JVM", inJvm);
    latencyRow(out, "cross-JVM", crossJvm);
  }

  private static void row(PrintStream out, String path, String workload,
      BiFunction<String, String, Bench.Measurement> measurement) {
    Bench.Measurement in = measurement.apply(workload, RemoteWorkload.IN_JVM);
    Bench.Measurement cross = measurement.apply(workload, RemoteWorkload.CROSS_JVM);
    out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f | %.2f |%n", path, in.throughput(), cross.throughput(),
        cross.throughput() / in.throughput());
  }

  private static void latencyRow(PrintStream out, String layer, FixedRateLatency.Result r) {
    out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %.2f cores |%n", layer,
        r.achievedRate(), r.latencyMicros(0.5), r.latencyMicros(0.99), r.latencyMicros(0.999), r.latencyMicros(1.0),
        r.lateMicros(0.99), r.cpuCores());
  }
}
