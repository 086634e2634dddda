package io.pel.samples.jobs;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.JobState;
import io.pel.actors.JobStatus;
import io.pel.actors.Jobs;
import io.pel.actors.TaskOutcome;
import io.pel.samples.Sample;
import io.pel.samples.Samples;
import io.pel.samples.UsageException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;

/**
 * {@code ./pel run jobs [--tasks N] [--job ID]}: a checkpointed job that survives a crash. Counts the primes
 * below N &times; 20,000 as a job of N tasks, printing its progress each second. Kill the process (Ctrl-C,
 * or {@code kill -9}) part-way and run the same command again: the job resumes from the job store under
 * {@code pel.data-dir} (default {@code ./pel-data}) and runs only the tasks not yet done. Exits with 1 if the
 * job fails or its count is wrong.
 */
public final class JobsSample implements Sample {

  static final String USAGE = """
      usage: ./pel run jobs [--tasks N] [--job ID]
        --tasks N   tasks in the job, each counting the primes in 20,000 numbers, 1..100,000 (default 2,000)
        --job ID    the job's id (default primes-N). Run again with the same id after a crash to resume it.
        The job store is under PEL_DATA_DIR (default ./pel-data).""";

  @Override
  public String name() {
    return "jobs";
  }

  @Override
  public String usage() {
    return USAGE;
  }

  @Override
  public int run(List<String> args, PrintStream out) throws UsageException {
    Map<String, String> options = UsageException.options(args, "--tasks", "--job");
    long tasks = UsageException.wholeNumber(options, "--tasks", 1, 100_000, 2_000);
    String jobId = options.get("--job");
    if (jobId == null) jobId = "primes-" + tasks;
    try (ExecutionLayer layer = Samples.start(System.getenv())) {
      if (Samples.isClient(layer)) throw new UsageException("the jobs sample runs embedded: unset PEL_ROLES (this node has no routees)");
      Jobs jobs = layer.jobs();
      List<Long> blocks = LongStream.range(0, tasks).boxed().toList();
      JobStatus status = jobs.submit(jobId, PrimeJobs.COUNT_PRIMES, blocks).toCompletableFuture().get(60, TimeUnit.SECONDS);
      int before = status.completed();
      String resumed = status.state().isFinished() ? ", finished before this run"
          : before > 0 ? String.format(Locale.ROOT, ", resumed with %,d done before this run", before) : "";
      out.printf(Locale.ROOT, "job %s: %,d tasks, %s%s%n", jobId, status.total(), status.state(), resumed);
      long start = System.nanoTime();
      CompletableFuture<List<TaskOutcome<Long>>> results = jobs.results(jobId, PrimeJobs.COUNT_PRIMES).toCompletableFuture();
      while (!results.isDone()) {
        try {
          results.get(1, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          JobStatus now = jobs.status(jobId).toCompletableFuture().get(60, TimeUnit.SECONDS);
          out.printf(Locale.ROOT, "  %,d/%,d tasks done (%.0f%%)%n", now.completed(), now.total(), 100 * now.progress());
        }
      }
      JobStatus end = jobs.status(jobId).toCompletableFuture().get(60, TimeUnit.SECONDS);
      long primes = 0;
      int failed = 0;
      for (TaskOutcome<Long> o : results.get()) {
        if (o.succeeded()) primes += o.result();
        else failed++;
      }
      out.printf(Locale.ROOT, "job %s %s in %.1f s: %,d tasks, %,d run by this process, %,d failed%n", jobId,
          end.state().toString().toLowerCase(Locale.ROOT), (System.nanoTime() - start) / 1e9, end.total(), end.completed() - before, failed);
      long below = tasks * PrimeJobs.BLOCK;
      out.printf(Locale.ROOT, "primes below %,d: %,d%n", below, primes);
      return end.state() == JobState.COMPLETED && failed == 0 ? 0 : 1;
    } catch (ExecutionException e) {
      out.println("job " + jobId + " failed: " + e.getCause());
      return 1;
    } catch (TimeoutException e) {
      out.println("job " + jobId + ": the job store did not answer within 60 s");
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }
}
