package io.pel.bench;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.JobState;
import io.pel.actors.JobStatus;
import io.pel.actors.Jobs;
import io.pel.actors.UnknownJobException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The recovery part of {@code ./pel bench jobs}: for each job size, with snapshots on ({@code
 * pel.jobs.snapshot-every} as configured, 100 by default) and off, one layer runs a job of that many tasks
 * to completion on a fresh data directory and closes; then fresh layers on the same directory, one at a
 * time, are timed from {@code jobs()} to the first answer to {@code status(jobId)}, which needs the job's
 * coordinator recovered from the store. As much again of restarts of their own first ask for an unknown
 * job's status, so that sharding is up, and then time {@code status(jobId)} alone: the coordinator's own
 * recovery. Each restart then checks the recovered results' checksum. A last row asks, on the first job's
 * store, for a job id that was never submitted: its coordinator recovers nothing, so that row is what a
 * restart costs apart from recovering a job.
 */
final class JobsRecovery {

  /** The job id of the reference row: never submitted. */
  static final String UNKNOWN_JOB = "never-submitted";

  /**
   * One job size and snapshot setting.
   *
   * @param tasks the job's tasks, all completed; 0 for the reference row of a job id never submitted
   * @param snapshotEvery {@code pel.jobs.snapshot-every} of its layers
   * @param runSeconds the job's run, from its submission to its results, on the first layer
   * @param journal what the job left in the store once that layer had closed
   * @param restarts the measured restarts
   */
  record Row(int tasks, int snapshotEvery, double runSeconds, JobJournal journal, Restarts restarts) {

    boolean snapshots() {
      return snapshotEvery < JobsTask.SNAPSHOTS_OFF;
    }

    boolean reference() {
      return tasks == 0;
    }
  }

  /**
   * The measured restarts of one row, in nanoseconds.
   *
   * @param jobsNanos from the call of {@code jobs()} to its return
   * @param statusNanos from the call of {@code jobs()} to the first answer to {@code status(jobId)}
   * @param aloneNanos in restarts of their own, where a status of another, unknown job has been answered
   *     first (sharding is up): from asking {@code status(jobId)} to its answer, the job's coordinator's own
   *     recovery
   */
  record Restarts(long[] jobsNanos, long[] statusNanos, long[] aloneNanos) {}

  /** The median of {@code nanos}, in milliseconds. */
  static double medianMillis(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return (n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0) / 1e6;
  }

  static double minMillis(long[] nanos) {
    return Arrays.stream(nanos).min().orElse(0) / 1e6;
  }

  static double maxMillis(long[] nanos) {
    return Arrays.stream(nanos).max().orElse(0) / 1e6;
  }

  private JobsRecovery() {}

  /**
   * Runs every size with snapshots on, then off, each in its own directory under {@code root}, then the
   * reference row on the first size's directory.
   */
  static List<Row> run(Path root, JobsOptions options, Progress progress) throws Exception {
    List<Row> rows = new ArrayList<>();
    Path first = null;
    for (int k : options.sizes()) {
      for (boolean snapshots : new boolean[] {true, false}) {
        String name = "recovery-" + k + (snapshots ? "-snapshots" : "-no-snapshots");
        Path dataDir = root.resolve(name);
        if (first == null) first = dataDir;
        rows.add(measure(dataDir, name, k, snapshots ? 0 : JobsTask.SNAPSHOTS_OFF, options, progress));
      }
    }
    progress.say("jobs: " + UNKNOWN_JOB + ": restarts on " + first + ", asking for a job id never submitted");
    Restarts restarts = restarts(first, 0, UNKNOWN_JOB, 0, 0, options, progress);
    rows.add(new Row(0, rows.get(0).snapshotEvery(), 0, new JobJournal(0, 0, 0, 0), restarts));
    return rows;
  }

  private static Row measure(Path dataDir, String jobId, int k, int snapshotSetting, JobsOptions options, Progress progress)
      throws Exception {
    long expected = JobsTask.checksum(k);
    double runSeconds;
    int snapshotEvery;
    progress.say("jobs: " + jobId + ": running the job of " + k + " tasks on a layer over " + dataDir);
    try (ExecutionLayer layer = JobsTask.start(dataDir, snapshotSetting)) {
      snapshotEvery = layer.system().settings().config().getInt("pel.jobs.snapshot-every");
      Jobs jobs = layer.jobs();
      long t0 = System.nanoTime();
      long sum = JobsOverhead.job(jobs, jobId, JobsTask.inputs(k));
      runSeconds = (System.nanoTime() - t0) / 1e9;
      JobsTask.check(jobId + " run", sum, expected);
      progress.say(String.format(Locale.ROOT, "jobs: %s: ran in %.3f s; closing the layer", jobId, runSeconds));
    }
    JobJournal journal = JobJournal.of(dataDir, jobId);
    progress.say("jobs: " + jobId + ": " + journal.journalRows() + " journal rows, " + journal.snapshotRows() + " snapshots");
    Restarts restarts = restarts(dataDir, snapshotSetting, jobId, k, expected, options, progress);
    return new Row(k, snapshotEvery, runSeconds, journal, restarts);
  }

  /**
   * The warm-up and measured restarts on {@code dataDir}, one layer at a time, in pairs: one asking for {@code
   * jobId}'s status first, one asking for an unknown job's first and then for {@code jobId}'s. A job of {@code k
   * > 0} tasks must be found completed with checksum {@code expected}; with {@code k = 0} it must be unknown.
   */
  private static Restarts restarts(Path dataDir, int snapshotSetting, String jobId, int k, long expected,
      JobsOptions options, Progress progress) throws Exception {
    int n = options.iterations();
    Restarts measured = new Restarts(new long[n], new long[n], new long[n]);
    for (int r = 0; r < options.warmups() + n; r++) {
      boolean warmup = r < options.warmups();
      int i = r - options.warmups();
      String label = warmup ? "warm-up restart " + (r + 1) + "/" + options.warmups() : "restart " + (i + 1) + "/" + n;
      try (ExecutionLayer layer = JobsTask.start(dataDir, snapshotSetting)) {
        System.gc();
        long t0 = System.nanoTime();
        Jobs jobs = layer.jobs();
        long t1 = System.nanoTime();
        status(jobs, jobId, k, label);
        long t2 = System.nanoTime();
        check(jobs, jobId, k, expected, label);
        if (!warmup) {
          measured.jobsNanos()[i] = t1 - t0;
          measured.statusNanos()[i] = t2 - t0;
        }
        progress.say(String.format(Locale.ROOT, "jobs: %s: %s: jobs() returned after %.1f ms, first status after %.1f ms",
            jobId, label, (t1 - t0) / 1e6, (t2 - t0) / 1e6));
      }
      try (ExecutionLayer layer = JobsTask.start(dataDir, snapshotSetting)) {
        Jobs jobs = layer.jobs();
        status(jobs, UNKNOWN_JOB + "-first", 0, label);
        System.gc();
        long t0 = System.nanoTime();
        status(jobs, jobId, k, label);
        long t1 = System.nanoTime();
        check(jobs, jobId, k, expected, label);
        if (!warmup) measured.aloneNanos()[i] = t1 - t0;
        progress.say(String.format(Locale.ROOT, "jobs: %s: %s, sharding up: status alone after %.1f ms", jobId, label,
            (t1 - t0) / 1e6));
      }
    }
    return measured;
  }

  /** Asks for {@code jobId}'s status; fails unless the job is unknown ({@code k = 0}) or has {@code k} tasks. */
  private static void status(Jobs jobs, String jobId, int k, String label) throws Exception {
    JobStatus status;
    try {
      status = BenchContext.await(jobs.status(jobId));
    } catch (UnknownJobException e) {
      if (k == 0) return;
      throw new IllegalStateException(jobId + ", " + label + ": the job is unknown after the restart", e);
    }
    if (k == 0) throw new IllegalStateException(jobId + ", " + label + ": found " + status + "; expected no such job");
    if (status.total() != k) throw new IllegalStateException(jobId + ", " + label + ": recovered as " + status + "; expected " + k + " tasks");
  }

  /** Fails unless the job ({@code k > 0}) is completed, every task succeeded and its results give {@code expected}. */
  private static void check(Jobs jobs, String jobId, int k, long expected, String label) throws Exception {
    if (k == 0) return;
    JobStatus status = BenchContext.await(jobs.status(jobId));
    if (status.state() != JobState.COMPLETED || status.succeeded() != k) {
      throw new IllegalStateException(jobId + ", " + label + ": recovered as " + status + "; expected completed, " + k + " succeeded");
    }
    JobsTask.check(jobId + ", " + label + ", recovered results",
        JobsTask.sum(jobId, BenchContext.await(jobs.results(jobId, JobsTask.BURN))), expected);
  }
}
