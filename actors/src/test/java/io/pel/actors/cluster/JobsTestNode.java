package io.pel.actors.cluster;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.JobStatus;
import io.pel.actors.Jobs;
import io.pel.actors.TaskOutcome;
import io.pel.actors.TaskType;
import io.pel.testkit.NodeCommands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * A PEL node with checkpointed jobs for the multi-JVM tests. Its one job task type appends {@code "<pid>
 * <index>"} to the file named by {@code -Djobs-test.runs-file} each time a task starts, so a test can tell
 * which process ran which task and how often; the task then sleeps and answers {@code 3 * index + 1}.
 *
 * <p>Commands: {@code submit ID N MILLIS} (N tasks of MILLIS each); {@code status ID}; {@code results ID
 * SECONDS} (waits for the job to finish, then reports how many results are right).
 */
public final class JobsTestNode {

  static final TaskType<Long, Long> APPEND = TaskType.of("jobs-test-append", Long.class, Long.class);

  private JobsTestNode() {}

  public static void main(String[] args) {
    Path runs = Path.of(System.getProperty("jobs-test.runs-file"));
    String pid = Long.toString(ProcessHandle.current().pid());
    ExecutionLayer layer = ExecutionLayer.start();
    layer.register(APPEND, (input, ctx) -> {
      long index = input & 0xFFFF_FFFFL;
      append(runs, pid + " " + index + "\n");
      TimeUnit.MILLISECONDS.sleep(input >>> 32);
      return 3 * index + 1;
    });
    Jobs jobs = layer.jobs(); // resumes the store's unfinished jobs
    NodeCommands.register("submit", line -> {
      String[] a = line.split(" ");
      long millis = Long.parseLong(a[2]);
      List<Long> inputs = LongStream.range(0, Integer.parseInt(a[1])).map(i -> (millis << 32) | i).boxed().toList();
      return describe(jobs.submit(a[0], APPEND, inputs).toCompletableFuture().join());
    });
    NodeCommands.register("status", id -> describe(jobs.status(id).toCompletableFuture().join()));
    NodeCommands.register("results", line -> {
      String[] a = line.split(" ");
      List<TaskOutcome<Long>> outcomes = jobs.results(a[0], APPEND).toCompletableFuture().orTimeout(Long.parseLong(a[1]), TimeUnit.SECONDS).join();
      int right = 0;
      for (int i = 0; i < outcomes.size(); i++) {
        if (outcomes.get(i).succeeded() && outcomes.get(i).result() == 3L * i + 1) right++;
      }
      return "results=" + outcomes.size() + " right=" + right;
    });
    layer.system().getWhenTerminated().toCompletableFuture().join();
  }

  private static synchronized void append(Path file, String line) throws IOException {
    Files.writeString(file, line, StandardCharsets.US_ASCII, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
  }

  static String describe(JobStatus s) {
    return "state=" + s.state() + " completed=" + s.completed() + " total=" + s.total() + " failed=" + s.failed() + " node=" + s.node();
  }
}
