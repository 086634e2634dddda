package io.pel.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpointed jobs in one process: the API, idempotence, cancel, failures, bad input, resume, compaction. */
class JobsTest {

  static final TaskType<Integer, Integer> DOUBLE = TaskType.of("jobs-double", Integer.class, Integer.class);

  @TempDir Path dataDir;

  private ExecutionLayer start(String extra) {
    return Layers.start("pel.data-dir = \"" + dataDir.toString().replace('\\', '/') + "\"\npel.workers-per-node = 2\n" + extra);
  }

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  @Test
  void aJobRunsEveryTaskOnceAndGivesItsResultsInInputOrder() throws Exception {
    ConcurrentHashMap<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
    // Every message of the jobs' actors is written and read back as if it crossed to another node.
    try (ExecutionLayer layer = start("pekko.actor.serialize-messages = on")) {
      layer.register(DOUBLE, (x, ctx) -> {
        runs.computeIfAbsent(x, k -> new AtomicInteger()).incrementAndGet();
        return 2 * x;
      });
      JobStatus accepted = Layers.await(layer.jobs().submit("doubles", DOUBLE, range(500)));
      assertEquals("doubles", accepted.jobId());
      assertEquals(500, accepted.total());
      List<TaskOutcome<Integer>> results = Layers.await(layer.jobs().results("doubles", DOUBLE));
      assertEquals(500, results.size());
      for (int i = 0; i < 500; i++) assertEquals(2 * i, results.get(i).result(), "result of task " + i);
      JobStatus done = Layers.await(layer.jobs().status("doubles"));
      assertEquals(JobState.COMPLETED, done.state());
      assertEquals(500, done.succeeded());
      assertEquals(1.0, done.progress());
      assertTrue(done.finishedAt() != null && !done.finishedAt().isBefore(done.acceptedAt()));
      assertEquals(500, runs.size());
      runs.forEach((x, n) -> assertEquals(1, n.get(), "task " + x + " ran " + n + " times"));
    }
  }

  @Test
  void submittingTheSameJobAgainAnswersWithItsStatusAndRunsNothingTwice() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    try (ExecutionLayer layer = start("")) {
      layer.register(DOUBLE, (x, ctx) -> {
        runs.incrementAndGet();
        return 2 * x;
      });
      Jobs jobs = layer.jobs();
      List<java.util.concurrent.CompletionStage<JobStatus>> submits = new ArrayList<>();
      for (int i = 0; i < 5; i++) submits.add(jobs.submit("same", DOUBLE, range(100)));
      for (var s : submits) assertEquals("same", Layers.await(s).jobId());
      Layers.await(jobs.results("same", DOUBLE));
      JobStatus again = Layers.await(jobs.submit("same", DOUBLE, range(100)));
      assertEquals(JobState.COMPLETED, again.state());
      assertEquals(100, runs.get());
    }
  }

  @Test
  void anotherJobUnderATakenIdIsAConflict() throws Exception {
    try (ExecutionLayer layer = start("")) {
      layer.register(DOUBLE, (x, ctx) -> 2 * x);
      Layers.await(layer.jobs().submit("taken", DOUBLE, range(3)));
      ExecutionException e = assertThrows(ExecutionException.class, () -> Layers.await(layer.jobs().submit("taken", DOUBLE, List.of(7, 8, 9))));
      assertInstanceOf(JobConflictException.class, e.getCause());
      assertTrue(e.getCause().getMessage().contains("other inputs"), e.getCause().getMessage());
      assertEquals(List.of(0, 2, 4), Layers.await(layer.jobs().results("taken", DOUBLE)).stream().map(TaskOutcome::result).toList());
    }
  }

  @Test
  void anUnknownJobIsReportedAsSuch() throws Exception {
    try (ExecutionLayer layer = start("")) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> Layers.await(layer.jobs().status("never-submitted")));
      assertInstanceOf(UnknownJobException.class, e.getCause());
      e = assertThrows(ExecutionException.class, () -> Layers.await(layer.jobs().cancel("never-submitted")));
      assertInstanceOf(UnknownJobException.class, e.getCause());
    }
  }

  @Test
  void aTaskThatFailsForGoodHasAFailureOutcomeAndTheOthersTheirResults() throws Exception {
    try (ExecutionLayer layer = start("")) {
      layer.register(DOUBLE, (x, ctx) -> {
        if (x == 3) throw new NonRetryableException("three is not allowed");
        return 2 * x;
      });
      Layers.await(layer.jobs().submit("one-fails", DOUBLE, range(6)));
      List<TaskOutcome<Integer>> results = Layers.await(layer.jobs().results("one-fails", DOUBLE));
      RemoteTaskException failure = assertInstanceOf(RemoteTaskException.class, results.get(3).failure());
      assertEquals(TaskFailedException.class.getName(), failure.originalClass());
      assertTrue(failure.getMessage().contains("three is not allowed"), failure.getMessage());
      assertEquals(10, results.get(5).result());
      JobStatus status = Layers.await(layer.jobs().status("one-fails"));
      assertEquals(5, status.succeeded());
      assertEquals(1, status.failed());
    }
  }

  @Test
  void cancellingStopsTheJobAndKeepsWhatCompleted() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (ExecutionLayer layer = start("pel.jobs.max-in-flight-per-job = 2")) {
      layer.register(DOUBLE, (x, ctx) -> {
        if (x >= 2) release.await(60, TimeUnit.SECONDS);
        return 2 * x;
      });
      Layers.await(layer.jobs().submit("to-cancel", DOUBLE, range(50)));
      awaitStatus(layer, "to-cancel", s -> s.completed() >= 2);
      JobStatus cancelled = Layers.await(layer.jobs().cancel("to-cancel"));
      release.countDown();
      assertEquals(JobState.CANCELLED, cancelled.state());
      List<TaskOutcome<Integer>> results = Layers.await(layer.jobs().results("to-cancel", DOUBLE));
      assertEquals(0, results.get(0).result());
      assertEquals(2, results.get(1).result());
      assertInstanceOf(CancellationException.class, results.get(49).failure());
      assertEquals(JobState.CANCELLED, Layers.await(layer.jobs().cancel("to-cancel")).state(), "cancel is idempotent");
      assertEquals(cancelled.completed(), Layers.await(layer.jobs().status("to-cancel")).completed(), "nothing completes after the cancel");
    }
  }

  record NotRegistered(int value) {}

  static final TaskType<Object, Integer> ANY = TaskType.of("jobs-any", Object.class, Integer.class);

  @Test
  void badSubmissionsAreRefusedWithTheirReasonAndOtherJobsRunOn() throws Exception {
    try (ExecutionLayer layer = start("pel.jobs.max-tasks-per-job = 1000")) {
      layer.register(DOUBLE, (x, ctx) -> 2 * x);
      layer.register(ANY, (x, ctx) -> 1);
      Jobs jobs = layer.jobs();
      assertRefused(IllegalArgumentException.class, "is not valid", jobs.submit("bad id with spaces", DOUBLE, range(1)));
      assertRefused(IllegalArgumentException.class, "is not valid", jobs.status("x".repeat(201)));
      assertRefused(IllegalArgumentException.class, "no inputs", jobs.submit("empty", DOUBLE, List.of()));
      assertRefused(IllegalArgumentException.class, "max-tasks-per-job = 1000", jobs.submit("too-many", DOUBLE, range(1001)));
      assertRefused(IllegalArgumentException.class, NotRegistered.class.getName(), jobs.submit("unregistered", ANY, List.of(new NotRegistered(1))));
      assertRefused(IllegalArgumentException.class, "max-message-size", jobs.submit("huge", ANY, List.of(new byte[9 << 20])));
      assertRefused(UnknownTaskTypeException.class, "nobody", jobs.submit("unknown-type", TaskType.of("nobody", Integer.class, Integer.class), range(1)));
      assertThrows(NullPointerException.class, () -> jobs.submit("nulls", DOUBLE, Collections.singletonList(null)));
      for (String id : List.of("empty", "too-many", "unregistered", "huge", "unknown-type")) {
        assertRefused(UnknownJobException.class, id, jobs.status(id));
      }
      Layers.await(jobs.submit("good", DOUBLE, range(10)));
      assertEquals(18, Layers.await(jobs.results("good", DOUBLE)).get(9).result());
      assertRefused(IllegalArgumentException.class, "runs task type 'jobs-double'", jobs.results("good", ANY));
    }
  }

  @Test
  void malformedSubmissionsFromAPeerAreRefusedAndTheJobIdStaysFree() throws Exception {
    try (ExecutionLayer layer = start("")) {
      layer.register(DOUBLE, (x, ctx) -> 2 * x);
      layer.jobs();
      var coordinator = org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding.get(layer.system())
          .entityRefFor(io.pel.actors.internal.jobs.JobCoordinator.KEY, "from-a-peer");
      java.util.List<java.util.List<byte[]>> malformed = new ArrayList<>();
      malformed.add(java.util.Arrays.asList(new byte[] {1}, null));
      malformed.add(null);
      for (java.util.List<byte[]> inputs : malformed) {
        var reply = Layers.await(coordinator.<io.pel.actors.internal.jobs.JobCoordinator.Reply>ask(
            replyTo -> new io.pel.actors.internal.jobs.JobCoordinator.Submit(DOUBLE.name(), inputs, 0, replyTo), Layers.WAIT));
        var refused = assertInstanceOf(io.pel.actors.internal.jobs.JobCoordinator.Refused.class, reply);
        assertEquals(io.pel.actors.internal.jobs.JobCoordinator.Reason.INVALID, refused.reason(), refused.message());
      }
      Layers.await(layer.jobs().submit("from-a-peer", DOUBLE, range(3)));
      assertEquals(4, Layers.await(layer.jobs().results("from-a-peer", DOUBLE)).get(2).result());
    }
  }

  static final TaskType<Integer, Integer> HOLD = TaskType.of("jobs-hold", Integer.class, Integer.class);

  @Test
  void aJobRefusedByALayerFullOfOtherWorkRunsOnceThereIsRoom() throws Exception {
    // An admission limit of 2 (1 routee x 1 in flight + 1 pending), both places held by other work until
    // the job's runner has been refused: it then has nothing of its own in flight whose checkpoint could
    // wake it, only the layer's room. Its window of 16 tasks keeps it refused now and then to the end.
    CompletableFuture<Integer> held = new CompletableFuture<>();
    try (ExecutionLayer layer = start(
        "pel.workers-per-node = 1\npel.max-in-flight-per-worker = 1\npel.max-pending-per-node = 1\npel.jobs.max-in-flight-per-job = 16")) {
      layer.registerAsync(HOLD, (x, ctx) -> held);
      layer.register(DOUBLE, (x, ctx) -> 2 * x);
      List<CompletionStage<Integer>> others = List.of(layer.submit(HOLD, 1), layer.submit(HOLD, 2));
      assertEquals(2, layer.stats().accepted(), "full");
      Layers.await(layer.jobs().submit("room", DOUBLE, range(300)));
      Stats.until(layer, stats -> stats.rejected() > 0).get();
      held.complete(0);
      Layers.awaitAll(others);
      List<TaskOutcome<Integer>> results = Layers.await(layer.jobs().results("room", DOUBLE));
      for (int i = 0; i < 300; i++) assertEquals(2 * i, results.get(i).result(), "result of task " + i);
      assertEquals(JobState.COMPLETED, Layers.await(layer.jobs().status("room")).state());
    }
  }

  @Test
  void aJobLeftUnfinishedByAClosedLayerResumesInTheNextWithoutRerunningCompletedTasks() throws Exception {
    resumesInANewLayer(this::start, "resumed", 100, 40);
  }

  /**
   * A job of {@code tasks} in a layer that closes once {@code held} tasks are done (the rest wait on a
   * latch, 4 in flight), then in a second layer from {@code start} on the same store: every result is
   * right, and no task checkpointed before the close runs again.
   */
  static void resumesInANewLayer(java.util.function.Function<String, ExecutionLayer> start, String jobId, int tasks, int held)
      throws Exception {
    ConcurrentHashMap<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
    CountDownLatch hold = new CountDownLatch(1);
    try (ExecutionLayer layer = start.apply("pel.jobs.max-in-flight-per-job = 4\npel.shutdown-drain-timeout = 2s")) {
      layer.register(DOUBLE, (x, ctx) -> {
        runs.computeIfAbsent(x, k -> new AtomicInteger()).incrementAndGet();
        if (x >= held) hold.await(20, TimeUnit.SECONDS);
        return 2 * x;
      });
      Layers.await(layer.jobs().submit(jobId, DOUBLE, range(tasks)));
      awaitStatus(layer, jobId, s -> s.completed() >= held);
      hold.countDown();
    }
    int ranBefore = runs.size();
    try (ExecutionLayer layer = start.apply("")) {
      layer.register(DOUBLE, (x, ctx) -> {
        runs.computeIfAbsent(x, k -> new AtomicInteger()).incrementAndGet();
        return 2 * x;
      });
      List<TaskOutcome<Integer>> results = Layers.await(layer.jobs().results(jobId, DOUBLE));
      for (int i = 0; i < tasks; i++) assertEquals(2 * i, results.get(i).result());
      assertEquals(JobState.COMPLETED, Layers.await(layer.jobs().status(jobId)).state());
    }
    assertTrue(ranBefore < tasks, "the first layer stopped before the end: ran " + ranBefore);
    // Tasks below `held` completed without waiting, and were checkpointed before the close.
    for (int i = 0; i < held; i++) assertEquals(1, runs.get(i).get(), "task " + i + ", checkpointed before the close, ran again");
    runs.forEach((x, n) -> assertTrue(n.get() <= 2, "task " + x + " ran " + n + " times"));
  }

  static final TaskType<Integer, byte[]> BLOB = TaskType.of("jobs-blob", Integer.class, byte[].class);

  @Test
  void resultsLargerThanAMessageInAllArePagedAndSnapshottedAndAnOversizedOneFailsItsTask() throws Exception {
    // A 1 MiB message: a checkpoint or a page of results carries at most 512 KiB of outcomes. Every message
    // is serialized, as between nodes, so all results in one reply would be refused.
    try (ExecutionLayer layer = start("pel.serialization.max-message-size = 1 MiB\npel.jobs.snapshot-every = 10\npekko.actor.serialize-messages = on")) {
      layer.register(BLOB, (i, ctx) -> {
        byte[] blob = new byte[i == 7 ? 600 * 1024 : 40 * 1024];
        java.util.Arrays.fill(blob, (byte) (int) i);
        return blob;
      });
      Layers.await(layer.jobs().submit("blobs", BLOB, range(120))); // about 4.7 MiB of results
      List<TaskOutcome<byte[]>> results = Layers.await(layer.jobs().results("blobs", BLOB));
      assertEquals(120, results.size());
      for (int i = 0; i < 120; i++) {
        if (i == 7) continue;
        assertEquals(40 * 1024, results.get(i).result().length, "result " + i);
        assertEquals((byte) i, results.get(i).result()[0], "result " + i);
      }
      RemoteTaskException tooLarge = assertInstanceOf(RemoteTaskException.class, results.get(7).failure());
      assertTrue(tooLarge.getMessage().contains("at most 524288"), tooLarge.getMessage());
      String url = "jdbc:h2:file:" + dataDir.resolve("pel-jobs").toString().replace('\\', '/') + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
      try (Connection c = DriverManager.getConnection(url, "", ""); Statement st = c.createStatement();
           ResultSet r = st.executeQuery("SELECT MAX(OCTET_LENGTH(\"snapshot_payload\")) FROM \"snapshot\" WHERE \"persistence_id\" = 'pel-job|blobs'")) {
        r.next();
        assertTrue(r.getLong(1) > (1 << 20), "a snapshot larger than a message was saved: " + r.getLong(1) + " bytes");
      }
    }
  }

  @Test
  void snapshotsKeepAJobsJournalShortAndRetentionCompactsAFinishedJob() throws Exception {
    try (ExecutionLayer layer = start("""
        pel.jobs.snapshot-every = 10
        pel.jobs.max-in-flight-per-job = 1
        pel.jobs.retention = 1s
        pel.jobs.keep-alive-interval = 200ms
        """)) {
      layer.register(DOUBLE, (x, ctx) -> 2 * x);
      Layers.await(layer.jobs().submit("long", DOUBLE, range(300)));
      Layers.await(layer.jobs().results("long", DOUBLE));
      JobStatus compacted = awaitStatus(layer, "long", JobStatus::compacted);
      assertEquals(JobState.COMPLETED, compacted.state());
      assertEquals(300, compacted.succeeded());
      ExecutionException e = assertThrows(ExecutionException.class, () -> Layers.await(layer.jobs().results("long", DOUBLE)));
      assertInstanceOf(IllegalStateException.class, e.getCause());
      assertTrue(e.getCause().getMessage().contains("retention"), e.getCause().getMessage());
      String url = "jdbc:h2:file:" + dataDir.resolve("pel-jobs").toString().replace('\\', '/') + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
      long rows = awaitRows(url, "pel-job|long", n -> n <= 1);
      assertTrue(rows <= 1, "journal rows left after compaction: " + rows);
    }
  }

  private static long awaitRows(String url, String persistenceId, java.util.function.LongPredicate done) throws Exception {
    long deadline = System.nanoTime() + Layers.WAIT.toNanos();
    while (true) {
      long n;
      try (Connection c = DriverManager.getConnection(url, "", "");
           Statement s = c.createStatement();
           ResultSet r = s.executeQuery("SELECT COUNT(*) FROM \"event_journal\" WHERE \"persistence_id\" = '" + persistenceId + "'")) {
        r.next();
        n = r.getLong(1);
      }
      if (done.test(n) || System.nanoTime() > deadline) return n;
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  static JobStatus awaitStatus(ExecutionLayer layer, String jobId, java.util.function.Predicate<JobStatus> condition) throws Exception {
    long deadline = System.nanoTime() + Layers.WAIT.toNanos();
    while (true) {
      JobStatus status = Layers.await(layer.jobs().status(jobId));
      if (condition.test(status)) return status;
      if (System.nanoTime() > deadline) throw new AssertionError("job " + jobId + " never got there: " + status);
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  private static void assertRefused(Class<? extends Throwable> type, String text, java.util.concurrent.CompletionStage<?> stage) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> Layers.await(stage));
    assertInstanceOf(type, e.getCause(), () -> "got " + e.getCause());
    assertTrue(e.getCause().getMessage().contains(text), () -> "'" + e.getCause().getMessage() + "' does not say '" + text + "'");
  }
}
