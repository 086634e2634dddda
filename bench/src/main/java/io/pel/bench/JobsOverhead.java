package io.pel.bench;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.Jobs;
import io.pel.actors.TaskOutcome;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The overhead part of {@code ./pel bench jobs}: the same tasks run by plain {@code submit}, with as many
 * in flight as a job may have ({@code pel.jobs.max-in-flight-per-job}), and as one checkpointed job
 * ({@code jobs().submit} then {@code results}), alternating on one layer whose job store is a fresh H2
 * file. A job's time runs from its submission (its inputs are written to the store first) to its results.
 */
final class JobsOverhead {

  /**
   * The measured runs.
   *
   * @param tasks tasks per run
   * @param window tasks in flight at most, in both kinds of run
   * @param snapshotEvery the layer's {@code pel.jobs.snapshot-every}
   * @param plainSeconds each measured plain run
   * @param jobSeconds each measured job run
   * @param checksum the checksum every run returned
   * @param machine the machine and layer, as the bench's report describes them
   */
  record Result(int tasks, int window, int snapshotEvery, double[] plainSeconds, double[] jobSeconds, long checksum,
      String machine) {

    double plainThroughput() {
      return tasks / median(plainSeconds);
    }

    double jobThroughput() {
      return tasks / median(jobSeconds);
    }
  }

  private JobsOverhead() {}

  /** Runs the overhead part on a layer over {@code dataDir}. */
  static Result run(Path dataDir, JobsOptions options, Progress progress) throws Exception {
    int n = options.tasks();
    progress.say("jobs: checksum of " + n + " tasks, computed here");
    long expected = JobsTask.checksum(n);
    List<Long> inputs = JobsTask.inputs(n);
    progress.say("jobs: starting a layer on " + dataDir);
    try (ExecutionLayer layer = JobsTask.start(dataDir, 0)) {
      Jobs jobs = layer.jobs();
      var config = layer.system().settings().config();
      int window = config.getInt("pel.jobs.max-in-flight-per-job");
      int snapshotEvery = config.getInt("pel.jobs.snapshot-every");
      for (int i = 1; i <= options.warmups(); i++) {
        progress.say("jobs: overhead warm-up " + i + "/" + options.warmups() + ", plain and job");
        JobsTask.check("plain warm-up " + i, plain(layer, n, window), expected);
        JobsTask.check("job warm-up " + i, job(jobs, "overhead-warmup-" + i, inputs), expected);
      }
      double[] plainSeconds = new double[options.iterations()];
      double[] jobSeconds = new double[options.iterations()];
      for (int i = 0; i < options.iterations(); i++) {
        String run = (i + 1) + "/" + options.iterations();
        System.gc();
        long t0 = System.nanoTime();
        long plain = plain(layer, n, window);
        plainSeconds[i] = (System.nanoTime() - t0) / 1e9;
        JobsTask.check("plain run " + run, plain, expected);
        progress.say(String.format(Locale.ROOT, "jobs: overhead / plain: run %s %.3f s", run, plainSeconds[i]));
        System.gc();
        t0 = System.nanoTime();
        long job = job(jobs, "overhead-" + (i + 1), inputs);
        jobSeconds[i] = (System.nanoTime() - t0) / 1e9;
        JobsTask.check("job run " + run, job, expected);
        progress.say(String.format(Locale.ROOT, "jobs: overhead / job: run %s %.3f s", run, jobSeconds[i]));
      }
      return new Result(n, window, snapshotEvery, plainSeconds, jobSeconds, expected, Bench.machine(layer));
    }
  }

  /** Tasks {@code 0 .. n - 1} by {@code submit}, at most {@code window} in flight; the sum of the results. */
  static long plain(ExecutionLayer layer, int n, int window) throws Exception {
    Semaphore places = new Semaphore(window);
    LongAdder sum = new LongAdder();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (long i = 0; i < n && failure.get() == null; i++) {
      places.acquire();
      layer.submit(JobsTask.BURN, i).whenComplete((result, error) -> {
        if (error != null) failure.compareAndSet(null, error);
        else sum.add(result);
        places.release();
      });
    }
    places.acquire(window);
    if (failure.get() != null) throw new IllegalStateException("a task failed", failure.get());
    return sum.sum();
  }

  /** One job of {@code inputs}, from its submission to its results; the sum of the results. */
  static long job(Jobs jobs, String jobId, List<Long> inputs) throws Exception {
    BenchContext.await(jobs.submit(jobId, JobsTask.BURN, inputs));
    List<TaskOutcome<Long>> outcomes = BenchContext.await(jobs.results(jobId, JobsTask.BURN));
    return JobsTask.sum(jobId, outcomes);
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
