package io.pel.bench;

import com.typesafe.config.ConfigFactory;
import io.pel.actors.ExecutionLayer;
import io.pel.actors.TaskOutcome;
import io.pel.actors.TaskType;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;

/**
 * The task of {@code ./pel bench jobs} and the layers it runs on. Task {@code i} returns {@link Mix#burn
 * burn(i, 400)}, about 1 &micro;s of CPU work; a run's checksum is the wrapping sum of its results.
 */
final class JobsTask {

  /** Rounds of the kernel per task: about 1 &micro;s (cpumap's 25,000 rounds take about 57 &micro;s). */
  static final int ROUNDS = 400;
  /** The task: {@code i -> burn(i, ROUNDS)}. */
  static final TaskType<Long, Long> BURN = TaskType.of("bench.jobs.burn", Long.class, Long.class);
  /** The setting whose value turns snapshots off in practice: no job has a billion events. */
  static final int SNAPSHOTS_OFF = 1_000_000_000;

  private JobsTask() {}

  /**
   * Starts a layer whose job store is the H2 file under {@code dataDir}, with {@code snapshotEvery} as {@code
   * pel.jobs.snapshot-every} (0: the default), and registers the task on it.
   */
  static ExecutionLayer start(Path dataDir, int snapshotEvery) {
    String config = "pel.data-dir = \"" + dataDir.toAbsolutePath().toString().replace('\\', '/') + "\"\n"
        + (snapshotEvery > 0 ? "pel.jobs.snapshot-every = " + snapshotEvery + "\n" : "");
    ExecutionLayer layer = ExecutionLayer.start(ConfigFactory.parseString(config));
    layer.register(BURN, (i, ctx) -> Mix.burn(i, ROUNDS));
    return layer;
  }

  /** {@code 0, 1, ..., n - 1}: the inputs of a job of {@code n} tasks. */
  static List<Long> inputs(int n) {
    return LongStream.range(0, n).boxed().toList();
  }

  /** The wrapping sum of the results of tasks {@code 0 .. n - 1}: what every run of {@code n} tasks must return. */
  static long checksum(long n) {
    long sum = 0;
    for (long i = 0; i < n; i++) sum += Mix.burn(i, ROUNDS);
    return sum;
  }

  /** The wrapping sum of a job's results; fails naming the first task that has no result. */
  static long sum(String jobId, List<TaskOutcome<Long>> outcomes) {
    long sum = 0;
    for (int i = 0; i < outcomes.size(); i++) {
      TaskOutcome<Long> outcome = outcomes.get(i);
      if (!outcome.succeeded()) throw new IllegalStateException("task " + i + " of job " + jobId + " failed", outcome.failure());
      sum += outcome.result();
    }
    return sum;
  }

  /** Fails unless {@code checksum} is {@code expected}. */
  static void check(String what, long checksum, long expected) {
    if (checksum != expected) {
      throw new ChecksumException(what + ": checksum " + Bench.hex(checksum) + ", expected " + Bench.hex(expected));
    }
  }

  /** A run's results disagree with the checksum computed here. */
  static final class ChecksumException extends IllegalStateException {
    ChecksumException(String message) {
      super(message);
    }
  }
}
