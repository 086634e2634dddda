package io.pel.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * The {@code http} workload's section of the report: lines/s through PEL's service, in order and not, against
 * the plain Pekko HTTP route, and PEL's ratio to it.
 *
 * @param nodePid the service node's process id (gone by the time this is printed)
 * @param nodeRoutees the routees of the service's node
 * @param nodeLog the service node's log file
 * @param lines lines per run
 */
record HttpReport(long nodePid, int nodeRoutees, Path nodeLog, long lines) {

  /** Prints the section; {@code measurement} gives the measurement of a workload's engine. */
  void print(PrintStream out, BiFunction<String, String, Bench.Measurement> measurement) {
    Bench.Measurement plain = measurement.apply("http", HttpWorkload.PLAIN);
    Bench.Measurement gathered = measurement.apply("http", HttpWorkload.PLAIN_GATHERED);
    Bench.Measurement ordered = measurement.apply("http", HttpWorkload.PEL_ORDERED);
    Bench.Measurement unordered = measurement.apply("http", HttpWorkload.PEL_UNORDERED);
    out.println();
    out.println("## The service: NDJSON streams over HTTP, `POST /v1/streams/sha256`");
    out.println();
    out.printf(Locale.ROOT, "%,d lines per run, each a JSON string of 40 characters, in one request; every answer line "
        + "checked. PEL: the node of `./pel start` in a JVM of its own (pid %d, %d routees, %s, log %s), its stream through "
        + "ParallelFlow, its answer lines gathered into chunks while the connection is busy. Plain: a Pekko HTTP route in this "
        + "JVM hashing each line inline on the stream's thread, in order, one chunk per answer line as a route is written; "
        + "gathered: the same route gathering its lines as PEL does, to tell that change apart from PEL's parallelism. "
        + "The same client for all, on loopback.%n", lines, nodePid, nodeRoutees, String.join(" ", ServiceNodeJvm.JVM_OPTIONS),
        nodeLog);
    out.println();
    out.println("| server | lines/s | PEL ÷ plain | PEL ÷ plain gathered |");
    out.println("|---|---:|---:|---:|");
    out.printf(Locale.ROOT, "| plain Pekko HTTP, ordered | %,.0f | – | – |%n", plain.throughput());
    out.printf(Locale.ROOT, "| plain Pekko HTTP, ordered, lines gathered | %,.0f | – | – |%n", gathered.throughput());
    row(out, "PEL service, ordered", ordered, plain, gathered);
    row(out, "PEL service, `?ordered=false`", unordered, plain, gathered);
  }

  private static void row(PrintStream out, String server, Bench.Measurement pel, Bench.Measurement plain, Bench.Measurement gathered) {
    out.printf(Locale.ROOT, "| %s | %,.0f | %.2f | %.2f |%n", server, pel.throughput(), pel.throughput() / plain.throughput(),
        pel.throughput() / gathered.throughput());
  }
}
