package io.pel.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code ./pel bench jobs}: what checkpointed jobs cost. First the overhead of a job against plain {@code
 * submit} ({@link JobsOverhead}), then the time a fresh layer takes to recover a finished job, by job size,
 * with snapshots on and off ({@link JobsRecovery}). Every layer's job store is an H2 file in a temporary
 * directory, deleted at the end. Prints one report in Markdown; progress goes to {@link Progress}.
 */
public final class JobsBench {

  private static final double KIB = 1024.0;

  private JobsBench() {}

  /** Runs {@code options} and returns the exit code: 0, or {@link Bench#FAILED} if a checksum disagrees or a run failed. */
  public static int run(JobsOptions options, String commandLine, PrintStream out, Progress progress) {
    out.println("# PEL bench: checkpointed jobs");
    out.println();
    out.println("command: `" + commandLine + "`");
    Path root;
    try {
      root = Files.createTempDirectory("pel-bench-jobs-");
    } catch (IOException e) {
      out.println();
      out.println("FAILED: cannot create a temporary directory: " + e);
      return Bench.FAILED;
    }
    progress.say("jobs: data directories under " + root + " (deleted at the end)");
    try {
      JobsOverhead.Result overhead = JobsOverhead.run(root.resolve("overhead"), options, progress);
      out.println();
      out.println(overhead.machine());
      printOverhead(out, overhead, options);
      List<JobsRecovery.Row> rows = JobsRecovery.run(root, options, progress);
      printRecovery(out, rows, options);
      return 0;
    } catch (Exception e) {
      out.println();
      out.println("FAILED: " + (e instanceof JobsTask.ChecksumException ? e.getMessage() : e.toString()));
      return Bench.FAILED;
    } finally {
      delete(root, progress);
    }
  }

  private static void printOverhead(PrintStream out, JobsOverhead.Result r, JobsOptions options) {
    out.println();
    out.printf(Locale.ROOT, "## Checkpointing overhead: %,d tasks of about 1 µs, plain submit against one job%n", r.tasks());
    out.println();
    out.printf(Locale.ROOT, "Median of %d runs each after %d warm-up, alternating on one layer. Plain: `submit` with at "
        + "most %d in flight (pel.jobs.max-in-flight-per-job). Job: `jobs().submit` then `results`, "
        + "pel.jobs.snapshot-every = %d, a new job id per run.%n", options.iterations(), options.warmups(), r.window(),
        r.snapshotEvery());
    out.println();
    out.println("| run | median s | tasks/s | µs per task | checksum |");
    out.println("|---|---:|---:|---:|---|");
    overheadRow(out, "plain submit", r.plainSeconds(), r);
    overheadRow(out, "checkpointed job", r.jobSeconds(), r);
    double plain = JobsOverhead.median(r.plainSeconds());
    double job = JobsOverhead.median(r.jobSeconds());
    out.println();
    out.printf(Locale.ROOT, "job ÷ plain throughput: %.2f (checkpointing adds %.2f µs per task)%n",
        r.jobThroughput() / r.plainThroughput(), (job - plain) * 1e6 / r.tasks());
  }

  private static void overheadRow(PrintStream out, String run, double[] seconds, JobsOverhead.Result r) {
    double median = JobsOverhead.median(seconds);
    out.printf(Locale.ROOT, "| %s | %.3f | %,.0f | %.2f | %s |%n", run, median, r.tasks() / median,
        median * 1e6 / r.tasks(), Bench.hex(r.checksum()));
  }

  private static void printRecovery(PrintStream out, List<JobsRecovery.Row> rows, JobsOptions options) {
    out.println();
    out.println("## Recovery: a fresh layer on a finished job's store, `jobs()` to the first `status(jobId)` answer");
    out.println();
    out.printf(Locale.ROOT, "One layer runs the job and closes (job run s: submission to results, on a fresh layer, so the first "
        + "job's start-up included). Then %d warm-up and "
        + "%d measured restarts, one layer at a time, each timed from the call of `jobs()` (to its return, and to the "
        + "first status answer); and as many restarts of their own that ask for another, unknown job's status first "
        + "and then time `status(jobId)` alone: the job's coordinator's recovery with sharding already up. Medians, "
        + "min–max in brackets. Snapshots off: pel.jobs.snapshot-every = %,d. Journal and snapshot rows: what the job "
        + "left in the store (rows of persistence id pel-job|<jobId> in event_journal and snapshot), read by JDBC "
        + "after that layer closed. The last row asks for a job id never submitted: a restart's cost apart from "
        + "recovering a job.%n", options.warmups(), options.iterations(), JobsTask.SNAPSHOTS_OFF);
    out.println();
    out.println("| tasks | snapshots | job run s | journal rows | journal KiB | snapshot rows | latest snapshot KiB | "
        + "`jobs()` ms | first status ms | status alone ms |");
    out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (JobsRecovery.Row row : rows) {
      JobJournal j = row.journal();
      JobsRecovery.Restarts r = row.restarts();
      String snapshots = row.snapshots() ? "on (every " + row.snapshotEvery() + ")" : "off";
      String stored = row.reference() ? "| – (unknown id) | " + snapshots + " | – | 0 | 0 | 0 | 0 |"
          : String.format(Locale.ROOT, "| %,d | %s | %.3f | %,d | %,.0f | %,d | %,.0f |", row.tasks(), snapshots,
              row.runSeconds(), j.journalRows(), j.journalBytes() / KIB, j.snapshotRows(), j.snapshotBytes() / KIB);
      out.printf(Locale.ROOT, "%s %.0f | %s | %s |%n", stored, JobsRecovery.medianMillis(r.jobsNanos()),
          millis(r.statusNanos()), millis(r.aloneNanos()));
    }
  }

  /** The median, then min–max in brackets, in milliseconds. */
  private static String millis(long[] nanos) {
    return String.format(Locale.ROOT, "%.0f (%.0f–%.0f)", JobsRecovery.medianMillis(nanos), JobsRecovery.minMillis(nanos),
        JobsRecovery.maxMillis(nanos));
  }

  private static void delete(Path root, Progress progress) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
    } catch (IOException e) {
      progress.say("jobs: could not delete " + root + ": " + e);
    }
  }
}
