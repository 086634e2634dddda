package io.pel.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.actors.ExecutionLayer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code ./pel bench} on tiny sizes: every engine of every workload runs and gives the checksum computed
 * here independently; a disagreement or a failing engine ends the run with exit code 1; a bad command
 * line exits with 2 naming the problem. Speed is not tested here: that is what the bench is for.
 */
class BenchTest {

  private record Run(int code, String out, String err) {}

  private static Run main(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The table's checksums: workload, then engine, then checksum. */
  private static Map<String, Map<String, String>> checksums(String report) {
    Map<String, Map<String, String>> byWorkload = new LinkedHashMap<>();
    for (String line : report.split("\n")) {
      String[] cells = line.split("\\|");
      if (cells.length < 7 || !cells[6].trim().matches("[0-9a-f]{16}")) continue;
      byWorkload.computeIfAbsent(cells[1].trim(), w -> new LinkedHashMap<>()).put(cells[2].trim(), cells[6].trim());
    }
    return byWorkload;
  }

  @Test
  void everyEngineOfEveryWorkloadRunsOnTinySizesAndGivesTheExpectedChecksum() {
    Run run = main("--scale", "0.001");
    assertEquals(0, run.code(), run.out() + run.err());
    long tasks = 0;
    for (long i = 0; i < 1_000; i++) tasks += Mix.mix(i);
    long cpumap = 0;
    for (long i = 0; i < 20; i++) cpumap += Mix.burn(i, CpuMapWorkload.ROUNDS);
    long wordcount = Corpus.checksum(Corpus.count(Corpus.generate(50_000).lines()));
    Map<String, Map<String, String>> table = checksums(run.out());
    assertEquals(Map.of(
        "tasks", expect(tasks, Engine.SEQUENTIAL, Engine.PARALLEL_STREAMS, Engine.PEKKO_STREAMS, Engine.PEL_FLOW,
            Engine.PEL_BATCHED, Engine.PEL_SUBMIT),
        "cpumap", expect(cpumap, Engine.SEQUENTIAL, Engine.PARALLEL_STREAMS, Engine.PEKKO_STREAMS, Engine.PEL_FLOW, Engine.PEL_SUBMIT),
        "wordcount", expect(wordcount, Engine.SEQUENTIAL, Engine.PARALLEL_STREAMS, Engine.PEKKO_STREAMS, Engine.PEL_FLOW)),
        table);
    assertTrue(run.out().contains("## Start-up"), run.out());
    assertTrue(run.out().contains("- after 1,000 elements: ") && run.out().contains("- after 10,000 elements: "), run.out());
    assertTrue(run.out().contains("## Idle latency"), "latency is a default workload: " + run.out());
    assertTrue(run.err().contains("bench: wordcount / pel-flow: run 3/3"), run.err());
  }

  @Test
  void remoteRunsOnASecondJvmWithExactChecksumsAndLeavesNoJvmBehind() {
    Run run = main("remote", "--scale", "0.001", "--warmups", "0", "--iterations", "1");
    assertEquals(0, run.code(), run.out() + run.err());
    assertEquals(Map.of(
        RemoteWorkload.SUBMIT, expect(RemoteWorkload.checksum(500), RemoteWorkload.IN_JVM, RemoteWorkload.CROSS_JVM),
        RemoteWorkload.BATCH, expect(RemoteWorkload.checksum(5_000), RemoteWorkload.IN_JVM, RemoteWorkload.CROSS_JVM)),
        checksums(run.out()));
    assertTrue(run.out().contains("## Cross-JVM"), run.out());
    assertTrue(run.out().matches("(?s).*\\| in-JVM \\| [0-9,]+ \\|.*\\| cross-JVM \\| [0-9,]+ \\|.*"), run.out());

    Matcher pid = Pattern.compile("Worker JVM: pid (\\d+)").matcher(run.out());
    assertTrue(pid.find(), run.out());
    assertFalse(ProcessHandle.of(Long.parseLong(pid.group(1))).map(ProcessHandle::isAlive).orElse(false),
        "the worker JVM is still running");
    assertEquals(List.of(), ProcessHandle.current().descendants()
        .filter(p -> p.info().commandLine().orElse("").contains(RemoteWorker.class.getName()))
        .map(ProcessHandle::pid).toList(), "worker JVMs left behind");
  }

  @Test
  void latencyAloneRunsItsRoundTripsAndReportsTheQuantilesAgainstItsTarget() {
    Run run = main("latency", "--scale", "0.01");
    assertEquals(0, run.code(), run.out() + run.err());
    assertFalse(run.out().contains("| workload | engine |"), "no engines ran, so no table: " + run.out());
    assertTrue(run.out().contains("200 round trips after 50 of warm-up"), run.out());
    assertTrue(run.out().matches("(?s).*- p50 [0-9.]+ µs, p90 [0-9.]+ µs, p99 [0-9.]+ µs \\(max [0-9.]+ µs\\).*"), run.out());
    assertTrue(run.out().matches("(?s).*- target: p50 ≤ 50 µs — [0-9.]+ µs, (met|MISSED).*"), run.out());
  }

  @Test
  void httpStreamsThroughARealServiceNodeAndAPlainRouteWithEveryAnswerCheckedAndLeavesNoJvmBehind() throws Exception {
    // The node runs from the samples' jars, as ./pel start does; the build makes them before the bench's tests.
    Assumptions.assumeTrue(samplesBuilt(), "the samples' jars are not built (mvn package builds them before this test)");
    Run run = main("http", "--scale", "0.005", "--warmups", "0", "--iterations", "1");
    assertEquals(0, run.code(), run.out() + run.err());
    assertEquals(Map.of("http", expect(HttpWorkload.checksum(1_000), HttpWorkload.PLAIN, HttpWorkload.PLAIN_GATHERED, HttpWorkload.PEL_ORDERED,
        HttpWorkload.PEL_UNORDERED)), checksums(run.out()));
    assertTrue(run.out().contains("## The service: NDJSON streams over HTTP"), run.out());
    assertTrue(run.out().matches("(?s).*\\| PEL service, ordered \\| [0-9,]+ \\| [0-9.]+ \\| [0-9.]+ \\|.*"), run.out());
    assertTrue(run.out().matches("(?s).*\\| PEL service, `\\?ordered=false` \\| [0-9,]+ \\| [0-9.]+ \\| [0-9.]+ \\|.*"), run.out());

    Matcher pid = Pattern.compile("in a JVM of its own \\(pid (\\d+)").matcher(run.out());
    assertTrue(pid.find(), run.out());
    assertFalse(ProcessHandle.of(Long.parseLong(pid.group(1))).map(ProcessHandle::isAlive).orElse(false),
        "the service's node is still running");
    assertEquals(List.of(), ProcessHandle.current().descendants()
        .filter(p -> p.info().commandLine().orElse("").contains(ServiceNodeJvm.MAIN_CLASS))
        .map(ProcessHandle::pid).toList(), "service nodes left behind");
  }

  private static boolean samplesBuilt() {
    try {
      ServiceNodeJvm.samplesClassPath();
      return true;
    } catch (IllegalStateException | java.io.IOException e) {
      return false;
    }
  }

  @Test
  void jobsRunsPlainAndCheckpointedOnATemporaryStoreAndRecoversEveryJobWithItsResults() throws Exception {
    Run run = main("jobs", "--tasks", "300", "--sizes", "200", "--warmups", "0", "--iterations", "1");
    assertEquals(0, run.code(), run.out() + run.err());
    String checksum = Bench.hex(JobsTask.checksum(300));
    assertTrue(run.out().matches("(?s).*\\| plain submit \\| [0-9.]+ \\| [0-9,]+ \\| [0-9.]+ \\| " + checksum + " \\|.*"), run.out());
    assertTrue(run.out().matches("(?s).*\\| checkpointed job \\| [0-9.]+ \\| [0-9,]+ \\| [0-9.]+ \\| " + checksum + " \\|.*"), run.out());
    assertTrue(run.out().contains("job ÷ plain throughput: "), run.out());
    // 200 tasks: the acceptance, checkpoints of at most 128 outcomes, the end; far from a snapshot (every 100 events)
    assertTrue(run.out().matches("(?s).*\\| 200 \\| on \\(every 100\\) \\| [0-9.]+ \\| [0-9]+ \\| [0-9,]+ \\| 0 \\| 0 \\|.*"), run.out());
    assertTrue(run.out().matches("(?s).*\\| 200 \\| off \\| [0-9.]+ \\| [0-9]+ \\| [0-9,]+ \\| 0 \\| 0 \\|.*"), run.out());
    assertTrue(run.out().contains("| – (unknown id) | on (every 100) |"), run.out());
    assertTrue(run.err().contains("bench: jobs: recovery-200-no-snapshots: restart 1/1, sharding up: status alone after"), run.err());
    Matcher root = Pattern.compile("bench: jobs: data directories under (\\S+) ").matcher(run.err());
    assertTrue(root.find(), run.err());
    assertFalse(Files.exists(Path.of(root.group(1))), "the temporary data directories are left behind");
  }

  private static Map<String, String> expect(long checksum, String... engines) {
    Map<String, String> expected = new LinkedHashMap<>();
    for (String engine : engines) expected.put(engine, Bench.hex(checksum));
    return expected;
  }

  /** A workload whose engines return what the test says, counting their runs. */
  private record Scripted(String name, Map<String, Engine.Body> bodies) implements Workload {
    @Override
    public String unit() {
      return "elements";
    }

    @Override
    public double amount() {
      return 1;
    }

    @Override
    public void register(ExecutionLayer layer) {}

    @Override
    public List<Engine> engines(BenchContext context) {
      List<Engine> engines = new ArrayList<>();
      bodies.forEach((engine, body) -> engines.add(new Engine(engine, body)));
      return engines;
    }
  }

  private static Run bench(Workload... workloads) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<String> progress = new ArrayList<>();
    int code = Bench.run(Options.defaults(), List.of(workloads), false, "test",
        new PrintStream(out, true, StandardCharsets.UTF_8), progress::add);
    return new Run(code, out.toString(StandardCharsets.UTF_8), String.join("\n", progress));
  }

  @Test
  void enginesThatDisagreeEndTheRunWithExitCode1NamingTheirChecksums() {
    AtomicLong laterRuns = new AtomicLong();
    Map<String, Engine.Body> bodies = new LinkedHashMap<>();
    bodies.put(Engine.SEQUENTIAL, () -> 7);
    bodies.put(Engine.PEL_FLOW, () -> 8);
    Run run = bench(new Scripted("first", bodies), new Scripted("later", Map.of(Engine.SEQUENTIAL, laterRuns::incrementAndGet)));
    assertEquals(Bench.FAILED, run.code(), run.out());
    assertTrue(run.out().contains("FAILED: first: checksums disagree: sequential=0000000000000007 pel-flow=0000000000000008"),
        run.out());
    assertEquals(0, laterRuns.get(), "the run went on after the mismatch");
  }

  @Test
  void anEngineWhoseRunsDisagreeWithEachOtherFailsTheRun() {
    AtomicLong runs = new AtomicLong();
    Run run = bench(new Scripted("drifting", Map.of(Engine.PEL_FLOW, () -> runs.incrementAndGet() < 3 ? 1 : 2)));
    assertEquals(Bench.FAILED, run.code(), run.out());
    assertTrue(run.out().contains("FAILED: drifting / pel-flow: checksum 0000000000000002 differs from the same engine's "
        + "earlier run, 0000000000000001"), run.out());
  }

  @Test
  void aFailingEngineFailsTheRunNamingItAndTheCause() {
    Run run = bench(new Scripted("broken", Map.of(Engine.PEKKO_STREAMS, () -> {
      throw new IllegalStateException("out of coffee");
    })));
    assertEquals(Bench.FAILED, run.code(), run.out());
    assertTrue(run.out().contains("FAILED: broken / pekko-streams failed: java.lang.IllegalStateException: out of coffee"),
        run.out());
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "taks; unknown workload 'taks'; workloads: tasks, cpumap, wordcount, memory, latency, remote, http",
      "--scale; option --scale needs a value",
      "--scale abc; --scale 'abc' is not a number",
      "--scale 0; --scale '0' is out of range 0.000001..10",
      "--scale NaN; --scale 'NaN' is out of range 0.000001..10",
      "--scale 11; --scale '11' is out of range 0.000001..10",
      "--iterations 0; --iterations '0' is out of range 1..100",
      "--warmups 1.5; --warmups '1.5' is not a whole number",
      "--engines pel-flow,ray; unknown engine 'ray' in --engines",
      "--engines pel-flow,; unknown engine '' in --engines",
      "--fast; option --fast needs a value",
      "--fast 1; unknown option '--fast'",
      "tasks --jmh; --jmh must come first",
      "remote --engines pel-flow; --engines cannot be used with remote, which always runs its own two engines, in-jvm and cross-jvm",
      "tasks --engines pel-flow remote; --engines cannot be used with remote",
      "http --engines pel-flow; --engines cannot be used with http, which always runs its own four engines, pekko-http, pekko-http-gathered, pel-service and pel-service-unordered",
      "http --rate 5000; --rate applies only to the remote workload",
      "tasks --rate 5000; --rate applies only to the remote workload",
      "--rate 5000; --rate applies only to the remote workload",
      "remote --rate 0; --rate '0' is out of range 1..1000000",
      "remote --rate 2000000; --rate '2000000' is out of range 1..1000000",
      "remote --rate 50; --rate 50 would take 1000 s to send remote's 50,000 latency tasks; at most 600 s",
      "tasks jobs; jobs is a mode of its own and comes first: ./pel bench jobs",
      "jobs tasks; jobs takes options only, not 'tasks'",
      "jobs --tasks; option --tasks needs a value",
      "jobs --tasks 0; --tasks '0' is out of range 1..100000",
      "jobs --tasks 100001; --tasks '100001' is out of range 1..100000",
      "jobs --tasks many; --tasks 'many' is not a whole number",
      "jobs --sizes 10000,x; --sizes 'x' is not a whole number",
      "jobs --sizes 10000,; --sizes '' is not a whole number",
      "jobs --sizes 0; --sizes '0' is out of range 1..100000",
      "jobs --sizes 5,5; --sizes '5,5' names 5 twice",
      "jobs --sizes 1,2,3,4,5,6; --sizes '1,2,3,4,5,6' has 6 sizes; at most 5",
      "jobs --iterations 0; --iterations '0' is out of range 1..100",
      "jobs --scale 0.1; --scale does not apply to jobs",
      "jobs --rate 10; --rate does not apply to jobs",
      "jobs --fast 1; unknown option '--fast'"})
  void aBadCommandLineExitsWith2NamingTheProblem(String args, String message) {
    Run run = main(args.split(" "));
    assertEquals(Main.USAGE, run.code(), run.err());
    assertTrue(run.err().startsWith("pel bench: " + message), run.err());
    assertTrue(run.err().contains("usage: ./pel bench"), run.err());
    assertEquals("", run.out());
  }

  @Test
  void helpPrintsTheUsageAndRunsNothing() {
    Run run = main("--help");
    assertEquals(0, run.code());
    assertTrue(run.out().startsWith("usage: ./pel bench [WORKLOAD...]"), run.out());
  }
}
