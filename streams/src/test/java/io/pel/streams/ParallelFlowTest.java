package io.pel.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.Layers;
import io.pel.actors.NonRetryableException;
import io.pel.actors.Stats;
import io.pel.actors.TaskFailedException;
import io.pel.actors.TaskOutcome;
import io.pel.actors.TaskType;
import io.pel.actors.UnknownTaskTypeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.testkit.TestPublisher;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.stream.testkit.javadsl.TestSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** ParallelFlow step by step: parallelism bound, demand, order, cancellation, failures and bad input. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParallelFlowTest {

  private static final TaskType<Integer, Integer> PARKED = TaskType.of("pf.parked", Integer.class, Integer.class);
  private static final TaskType<Integer, Integer> JITTER = TaskType.of("pf.jitter", Integer.class, Integer.class);
  private static final TaskType<Integer, Integer> SEVENS = TaskType.of("pf.no-sevens", Integer.class, Integer.class);
  private static final TaskType<Integer, Integer> BLOCKED = TaskType.of("pf.blocked", Integer.class, Integer.class);
  private static final TaskType<Integer, Integer> NULLS = TaskType.of("pf.nulls", Integer.class, Integer.class);

  /** A task of PARKED waits here until the test completes it: the test decides when and in what order. */
  private record Parked(int input, String taskId, CompletableFuture<Integer> result) {}

  private final LinkedBlockingQueue<Parked> parked = new LinkedBlockingQueue<>();
  private final AtomicInteger parkedNow = new AtomicInteger();
  private final AtomicInteger parkedMax = new AtomicInteger();
  private volatile CountDownLatch blockedRelease = new CountDownLatch(0);
  private volatile CountDownLatch blockedRunning = new CountDownLatch(0);
  private ExecutionLayer layer;

  @BeforeAll
  void start() {
    layer = Layers.start("pel.workers-per-node = 2\npel.max-in-flight-per-worker = 4\npekko.test.single-expect-default = 20s");
    layer.registerAsync(PARKED, (i, ctx) -> {
      int now = parkedNow.incrementAndGet();
      parkedMax.accumulateAndGet(now, Math::max);
      CompletableFuture<Integer> result = new CompletableFuture<>();
      parked.add(new Parked(i, ctx.taskId(), result));
      return result.whenComplete((r, e) -> parkedNow.decrementAndGet());
    });
    layer.registerAsync(JITTER, (i, ctx) -> CompletableFuture.supplyAsync(
        () -> i * 3, CompletableFuture.delayedExecutor(ThreadLocalRandom.current().nextInt(3000), TimeUnit.MICROSECONDS)));
    layer.register(SEVENS, (i, ctx) -> {
      if (i % 7 == 0) throw new NonRetryableException("seven divides " + i);
      return i;
    });
    layer.register(BLOCKED, (i, ctx) -> {
      blockedRunning.countDown();
      blockedRelease.await();
      return i;
    });
    layer.register(NULLS, (i, ctx) -> i == 3 ? null : i);
  }

  @AfterAll
  void stop() {
    layer.close();
  }

  private Parked nextParked() throws InterruptedException {
    Parked next = parked.poll(Layers.WAIT.toSeconds(), TimeUnit.SECONDS);
    if (next == null) throw new AssertionError("no task reached the handler within " + Layers.WAIT);
    return next;
  }

  /**
   * Runs {@code flow} between a counting source of {@code n} elements and a test sink, recording a
   * violation whenever more than {@code bound} pulled elements have not yet been counted as emitted. The
   * check runs on every pull, inside the fused graph, so it sees the stage's exact demand. Once the test
   * has {@link #demand demanded} elements, one emitted element may still be in transit to the counter
   * when the stage pulls its replacement, so the bound grows by one; before that, it is exact.
   */
  private static final class DemandWatch {
    final AtomicInteger pulled = new AtomicInteger();
    final AtomicInteger emitted = new AtomicInteger();
    final AtomicBoolean demanded = new AtomicBoolean();
    final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    final TestSubscriber.Probe<Integer> sink;

    DemandWatch(ExecutionLayer layer, Flow<Integer, Integer, NotUsed> flow, int n, int bound) {
      Source<Integer, NotUsed> source = Source.fromIterator(() -> new Iterator<>() {
        @Override
        public boolean hasNext() {
          return pulled.get() < n;
        }

        @Override
        public Integer next() {
          int count = pulled.incrementAndGet();
          if (count - emitted.get() > bound + (demanded.get() ? 1 : 0)) {
            violations.add("pulled " + count + " with only " + emitted.get() + " emitted (bound " + bound + ")");
          }
          return count - 1;
        }
      });
      sink = source.via(flow)
          .map(x -> { emitted.incrementAndGet(); return x; })
          .runWith(TestSink.create(layer.system()), layer.system());
      sink.ensureSubscription();
    }

    void demand(long elements) {
      demanded.set(true);
      sink.request(elements);
    }
  }

  @Test
  void neverMoreThanParallelismTasksInFlightAndNothingPulledWithoutDemand() throws Exception {
    int p = 4;
    int n = 60;
    parkedMax.set(0);
    DemandWatch watch = new DemandWatch(layer, ParallelFlow.of(layer, PARKED).parallelism(p).flow(), n, p);
    TestSubscriber.Probe<Integer> sink = watch.sink;

    // No downstream demand: the stage fills its window of p tasks and stops there.
    List<Parked> window = new ArrayList<>();
    for (int i = 0; i < p; i++) window.add(nextParked());
    Collections.reverse(window);
    for (Parked task : window) task.result().complete(task.input() * 10);
    // Every result is ready, yet none may be emitted and nothing more pulled until the sink asks.
    watch.demand(1);
    assertEquals(0, sink.expectNext());
    Parked refill = nextParked();
    assertEquals(p, refill.input(), "one emitted element makes room for exactly one more");
    refill.result().complete(refill.input() * 10);

    sink.request(n);
    List<Parked> rest = new ArrayList<>();
    for (int i = p + 1; i < n; i++) {
      rest.add(nextParked());
      if (rest.size() == p || i == n - 1) {
        Collections.shuffle(rest, new Random(i));
        for (Parked task : rest) task.result().complete(task.input() * 10);
        rest.clear();
      }
    }
    for (int i = 1; i < n; i++) assertEquals(i * 10, sink.expectNext(), "element " + i);
    sink.expectComplete();
    assertEquals(List.of(), watch.violations);
    assertEquals(p, parkedMax.get(), "the window of p tasks was used and never exceeded");
  }

  @Test
  void batchedNeverHasMoreThanParallelismBatchesInFlight() throws Exception {
    int p = 2;
    int batch = 5;
    int n = 40;
    parkedMax.set(0);
    DemandWatch watch = new DemandWatch(
        layer, ParallelFlow.of(layer, PARKED).parallelism(p).batched(batch, Duration.ofMinutes(10)).flow(), n, p * batch);
    TestSubscriber.Probe<Integer> sink = watch.sink;

    List<Parked> first = new ArrayList<>();
    for (int i = 0; i < p * batch; i++) first.add(nextParked());
    assertEquals(p, first.stream().map(Parked::taskId).distinct().count(), "p batch tasks of " + batch);
    for (Parked task : first) task.result().complete(task.input());
    watch.demand(n);
    for (int i = p * batch; i < n; i++) {
      Parked task = nextParked();
      task.result().complete(task.input());
    }
    for (int i = 0; i < n; i++) assertEquals(i, sink.expectNext());
    sink.expectComplete();
    assertEquals(List.of(), watch.violations);
    assertEquals(p * batch, parkedMax.get());
  }

  @Test
  void untunedALoneElementLeavesAtOnceAndAlone() throws Exception {
    Pair<TestPublisher.Probe<Integer>, TestSubscriber.Probe<Integer>> probes = TestSource.<Integer>create(layer.system())
        .via(ParallelFlow.of(layer, PARKED).unordered().flow())
        .toMat(TestSink.create(layer.system()), Keep.both())
        .run(layer.system());
    TestPublisher.Probe<Integer> source = probes.first();
    TestSubscriber.Probe<Integer> sink = probes.second();
    sink.request(10);
    List<Parked> all = new ArrayList<>();
    // Each reaches its handler while it is the only element the stage has: no linger, no batch to wait for.
    for (int i = 0; i < 2 * layer.routeeCount(); i++) {
      source.sendNext(i);
      all.add(nextParked());
    }
    assertEquals(all.size(), all.stream().map(Parked::taskId).distinct().count(), "each element its own task");
    for (Parked task : all) task.result().complete(task.input());
    source.sendComplete();
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) out.add(sink.expectNext());
    sink.expectComplete();
    Collections.sort(out);
    assertEquals(IntStream.range(0, all.size()).boxed().toList(), out);
  }

  @Test
  void untunedBatchesGrowUnderLoadAndEveryElementIsEmittedOnce() throws Exception {
    TaskType<Integer, Integer> tagged = TaskType.of("pf.tagged", Integer.class, Integer.class);
    Map<String, AtomicInteger> perTask = new java.util.concurrent.ConcurrentHashMap<>();
    try (ExecutionLayer own = Layers.start("pel.workers-per-node = 2")) {
      own.register(tagged, (i, ctx) -> {
        perTask.computeIfAbsent(ctx.taskId(), id -> new AtomicInteger()).incrementAndGet();
        return i * 2;
      });
      int n = 50_000;
      List<Integer> out = Layers.await(Source.range(0, n - 1).via(ParallelFlow.of(own, tagged).flow()).runWith(Sink.seq(), own.system()));
      assertEquals(IntStream.range(0, n).map(i -> i * 2).boxed().toList(), out, "in order, each once");
      int largest = perTask.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
      assertTrue(largest >= 1000, "tiny tasks travel by the thousand once the stage has measured them: largest batch " + largest);
      assertTrue(perTask.size() < n / 100, perTask.size() + " tasks for " + n + " elements");
      assertEquals(n, perTask.values().stream().mapToInt(AtomicInteger::get).sum());
    }
  }

  @Test
  void orderedModeKeepsInputOrderUnderRandomTaskDurations() throws Exception {
    List<Integer> inputs = IntStream.range(0, 1000).boxed().toList();
    List<Integer> expected = inputs.stream().map(i -> i * 3).toList();
    for (ParallelFlow<Integer, Integer> flow : List.of(
        ParallelFlow.of(layer, JITTER),
        ParallelFlow.of(layer, JITTER).parallelism(32),
        ParallelFlow.of(layer, JITTER).parallelism(8).batched(16, Duration.ofMillis(2)))) {
      List<Integer> out = Layers.await(Source.from(inputs).via(flow.flow()).runWith(Sink.seq(), layer.system()));
      assertEquals(expected, out, flow.toString());
    }
  }

  @Test
  void unorderedModeEmitsEachElementAsItsTaskFinishes() throws Exception {
    TestSubscriber.Probe<Integer> sink = Source.from(List.of(0, 1, 2))
        .via(ParallelFlow.of(layer, PARKED).parallelism(3).unordered().flow())
        .runWith(TestSink.create(layer.system()), layer.system());
    sink.request(3);
    List<Parked> tasks = List.of(nextParked(), nextParked(), nextParked());
    Parked byInput2 = tasks.stream().filter(t -> t.input() == 2).findFirst().orElseThrow();
    byInput2.result().complete(2);
    assertEquals(2, sink.expectNext(), "the last input finished first and is emitted first");
    for (Parked task : tasks) task.result().complete(task.input());
    List<Integer> others = new ArrayList<>(List.of(sink.expectNext(), sink.expectNext()));
    Collections.sort(others);
    assertEquals(List.of(0, 1), others);
    sink.expectComplete();
  }

  @Test
  void downstreamCancellationCancelsUpstreamAndLeavesNoTaskInTheSupervisor() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch running = new CountDownLatch(2);
    AtomicInteger started = new AtomicInteger();
    // One attempt per routee at a time, so tasks beyond the two running ones wait in the supervisor.
    try (ExecutionLayer strict = Layers.start("pel.workers-per-node = 2\npel.max-in-flight-per-worker = 1")) {
      strict.register(BLOCKED, (i, ctx) -> {
        started.incrementAndGet();
        running.countDown();
        release.await();
        return i;
      });
      Pair<TestPublisher.Probe<Integer>, TestSubscriber.Probe<Integer>> probes = TestSource.<Integer>create(strict.system())
          .via(ParallelFlow.of(strict, BLOCKED).parallelism(6).flow())
          .toMat(TestSink.create(strict.system()), Keep.both())
          .run(strict.system());
      TestPublisher.Probe<Integer> source = probes.first();
      TestSubscriber.Probe<Integer> sink = probes.second();
      sink.request(1);
      for (int i = 0; i < 6; i++) source.sendNext(i);
      assertTrue(running.await(Layers.WAIT.toSeconds(), TimeUnit.SECONDS));
      Stats.until(strict, s -> s.accepted() == 6).get();

      sink.cancel();
      source.expectCancellation();
      Stats.until(strict, s -> s.accepted() == 0 && s.cancelled() == 6).get();
      release.countDown();
      // The two running handlers finish and their answers are dropped; the four queued tasks never start.
      Stats.until(strict, s -> s.duplicatesDropped() == 2).get();
      assertEquals(2, started.get());
      assertEquals(0, strict.stats().succeeded());
    }
  }

  @Test
  void upstreamFailureFailsTheStreamAndWithdrawsItsTasks() throws Exception {
    blockedRelease = new CountDownLatch(1);
    blockedRunning = new CountDownLatch(1);
    Pair<TestPublisher.Probe<Integer>, TestSubscriber.Probe<Integer>> probes = TestSource.<Integer>create(layer.system())
        .via(ParallelFlow.of(layer, BLOCKED).parallelism(4).flow())
        .toMat(TestSink.create(layer.system()), Keep.both())
        .run(layer.system());
    probes.second().request(4);
    probes.first().sendNext(1).sendNext(2);
    assertTrue(blockedRunning.await(Layers.WAIT.toSeconds(), TimeUnit.SECONDS));
    IllegalStateException boom = new IllegalStateException("upstream broke (injected)");
    probes.first().sendError(boom);
    assertEquals(boom, probes.second().expectError());
    Stats.until(layer, s -> s.accepted() == 0).get();
    blockedRelease.countDown();
  }

  private <X> List<X> run(Flow<Integer, X, NotUsed> flow, int n) throws Exception {
    return Layers.await(Source.range(1, n).via(flow).runWith(Sink.seq(), layer.system()));
  }

  @Test
  void byDefaultAFailedElementFailsTheStreamWithItsTaskFailedException() {
    for (ParallelFlow<Integer, Integer> flow : List.of(
        ParallelFlow.of(layer, SEVENS), ParallelFlow.of(layer, SEVENS).batched(4, Duration.ofMillis(1)))) {
      ExecutionException failed = assertThrows(ExecutionException.class, () -> run(flow.flow(), 100));
      TaskFailedException cause = assertInstanceOf(TaskFailedException.class, failed.getCause(), flow.toString());
      assertTrue(cause.getMessage().contains("seven divides 7"), cause.getMessage());
    }
  }

  @Test
  void droppingFailuresSkipsExactlyTheFailedElementsAndGoesOn() throws Exception {
    List<Integer> expected = IntStream.rangeClosed(1, 200).filter(i -> i % 7 != 0).boxed().toList();
    assertEquals(expected, run(ParallelFlow.of(layer, SEVENS).dropFailures().flow(), 200));
    assertEquals(expected, run(ParallelFlow.of(layer, SEVENS).batched(8, Duration.ofMillis(1)).dropFailures().flow(), 200));
  }

  @Test
  void outcomesKeepEveryElementWithItsResultOrTheReasonItFailed() throws Exception {
    for (ParallelFlow<Integer, Integer> flow : List.of(
        ParallelFlow.of(layer, SEVENS).unordered(), ParallelFlow.of(layer, SEVENS).batched(8, Duration.ofMillis(1)))) {
      List<Pair<Integer, TaskOutcome<Integer>>> outcomes = new ArrayList<>(run(flow.outcomes(), 200));
      outcomes.sort((a, b) -> Integer.compare(a.first(), b.first()));
      assertEquals(200, outcomes.size());
      for (Pair<Integer, TaskOutcome<Integer>> outcome : outcomes) {
        int i = outcome.first();
        if (i % 7 == 0) {
          assertInstanceOf(TaskFailedException.class, outcome.second().failure(), "element " + i);
          assertTrue(outcome.second().failure().getMessage().contains("seven divides " + i));
        } else {
          assertEquals(TaskOutcome.success(i), outcome.second());
        }
      }
    }
  }

  @Test
  void aNullResultFailsTheStreamNamingTheElementButIsAnOutcomeInOutcomes() throws Exception {
    ExecutionException failed = assertThrows(ExecutionException.class, () -> run(ParallelFlow.of(layer, NULLS).flow(), 5));
    assertTrue(failed.getCause().getMessage().contains("returned null for 3"), failed.getCause().getMessage());
    List<Pair<Integer, TaskOutcome<Integer>>> outcomes = run(ParallelFlow.of(layer, NULLS).outcomes(), 5);
    assertEquals(Pair.create(3, TaskOutcome.<Integer>success(null)), outcomes.get(2));
  }

  @Test
  void anUnregisteredTaskTypeFailsTheStreamWhateverTheFailureDecision() {
    TaskType<Integer, Integer> nobody = TaskType.of("pf.nobody", Integer.class, Integer.class);
    for (Flow<Integer, ?, NotUsed> flow : List.of(
        ParallelFlow.of(layer, nobody).dropFailures().flow(), ParallelFlow.of(layer, nobody).outcomes())) {
      ExecutionException failed = assertThrows(ExecutionException.class,
          () -> Layers.await(Source.range(1, 3).via(flow).runWith(Sink.ignore(), layer.system())));
      assertInstanceOf(UnknownTaskTypeException.class, failed.getCause());
    }
  }

  @Test
  void aFullLayerIsBackpressureNotFailure() throws Exception {
    TaskType<Integer, Integer> square = TaskType.of("pf.square", Integer.class, Integer.class);
    try (ExecutionLayer small = Layers.start("pel.workers-per-node = 1\npel.max-in-flight-per-worker = 1\npel.max-pending-per-node = 1")) {
      small.register(square, (i, ctx) -> i * i);
      List<CompletionStage<List<Integer>>> runs = new ArrayList<>();
      for (int r = 0; r < 3; r++) {
        runs.add(Source.range(0, 99).via(ParallelFlow.of(small, square).parallelism(8).flow()).runWith(Sink.seq(), small.system()));
      }
      List<Integer> expected = IntStream.range(0, 100).map(i -> i * i).boxed().toList();
      for (CompletionStage<List<Integer>> run : runs) assertEquals(expected, Layers.await(run));
      assertTrue(small.stats().rejected() > 0, "the layer was overloaded and the flows rode it out");
    }
  }

  @Test
  void slotsThatFindTheLayerFullWaitBehindTheFirstRefusedOneAndCostNoRefusalEach() throws Exception {
    TaskType<Integer, Integer> hold = TaskType.of("pf.hold", Integer.class, Integer.class);
    TaskType<Integer, Integer> square = TaskType.of("pf.square", Integer.class, Integer.class);
    CompletableFuture<Integer> held = new CompletableFuture<>();
    try (ExecutionLayer small = Layers.start("pel.workers-per-node = 1\npel.max-in-flight-per-worker = 1\npel.max-pending-per-node = 1")) {
      small.registerAsync(hold, (i, ctx) -> held);
      small.register(square, (i, ctx) -> i * i);
      List<CompletionStage<Integer>> others = List.of(small.submit(hold, 0), small.submit(hold, 1));
      assertEquals(2, small.stats().accepted(), "full");
      int slots = 64;
      Pair<TestPublisher.Probe<Integer>, CompletionStage<List<Integer>>> run = TestSource.<Integer>create(small.system())
          .via(ParallelFlow.of(small, square).batched(1, Duration.ofMillis(1)).parallelism(slots).flow())
          .toMat(Sink.seq(), Keep.both())
          .withAttributes(Attributes.inputBuffer(1, 1))
          .run(small.system());
      TestPublisher.Probe<Integer> source = run.first();
      // With an input buffer of one, the stage is asked for element n + 1 only once it has taken element n:
      // once all these are sent, it has taken one element for each slot and dispatched all but maybe the last.
      for (int i = 0; i <= slots; i++) source.sendNext(i);
      assertEquals(1, small.stats().rejected(), "the first slot was refused; the others waited behind it without asking");
      held.complete(-1);
      Layers.awaitAll(others);
      for (int i = slots + 1; i < 200; i++) source.sendNext(i);
      source.sendComplete();
      assertEquals(IntStream.range(0, 200).map(i -> i * i).boxed().toList(), Layers.await(run.second()));
    }
  }

  @Test
  void badSettingsAreRefusedNamingTheValue() {
    ParallelFlow<Integer, Integer> flow = ParallelFlow.of(layer, SEVENS);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> flow.parallelism(0)).getMessage().contains("not 0"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> flow.parallelism(65_537)).getMessage().contains("not 65537"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> flow.batched(0, Duration.ofMillis(1))).getMessage().contains("not 0"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> flow.batched(8, Duration.ZERO)).getMessage().contains("PT0S"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> flow.batched(8, Duration.ofHours(2))).getMessage().contains("PT2H"));
    assertEquals("layer", assertThrows(NullPointerException.class, () -> ParallelFlow.of(null, SEVENS)).getMessage());
    assertEquals("type", assertThrows(NullPointerException.class, () -> ParallelFlow.of(layer, null)).getMessage());
    assertEquals("maxLinger", assertThrows(NullPointerException.class, () -> flow.batched(2, null)).getMessage());
  }

  @Test
  void aFlowDescriptionIsReusableAcrossMaterializations() throws Exception {
    Flow<Integer, Integer, NotUsed> flow = ParallelFlow.of(layer, SEVENS).dropFailures().flow();
    ConcurrentLinkedQueue<CompletionStage<List<Integer>>> runs = new ConcurrentLinkedQueue<>();
    for (int r = 0; r < 4; r++) runs.add(Source.range(1, 50).via(flow).runWith(Sink.seq(), layer.system()));
    for (CompletionStage<List<Integer>> run : runs) assertEquals(43, Layers.await(run).size());
  }
}
