package io.pel.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Batches: one task carries many elements, and each element still gets its own outcome and retries. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchTest {

  private static final TaskType<Integer, Integer> SQUARE = TaskType.of("batch.square", Integer.class, Integer.class);
  private static final TaskType<Integer, Integer> ASYNC_SQUARE = TaskType.of("batch.async-square", Integer.class, Integer.class);
  private static final TaskType<Integer, Integer> FLAKY = TaskType.of("batch.flaky", Integer.class, Integer.class);
  private static final TaskType<Integer, Integer> POISON = TaskType.of("batch.poison", Integer.class, Integer.class);
  private static final TaskType<Integer, Integer> FATAL = TaskType.of("batch.fatal", Integer.class, Integer.class);

  private final AtomicInteger poisonRuns = new AtomicInteger();
  private final AtomicInteger runsOfTwo = new AtomicInteger();
  private ExecutionLayer layer;

  @BeforeAll
  void start() {
    layer = Layers.start("pel.workers-per-node = 3\npel.retry.max-attempts = 3");
    layer.register(SQUARE, (i, ctx) -> i * i);
    layer.registerAsync(ASYNC_SQUARE, (i, ctx) -> CompletableFuture.supplyAsync(() -> {
      if (i % 10 == 3) throw new IllegalArgumentException("no threes: " + i);
      return i * i;
    }));
    layer.register(FLAKY, (i, ctx) -> {
      if (ctx.attempt() == 1 && i % 2 == 0) throw new IOException("injected transient failure of " + i);
      return i;
    });
    layer.register(POISON, (i, ctx) -> {
      if (i == 13) {
        poisonRuns.incrementAndGet();
        throw new NonRetryableException("13 is refused");
      }
      return i;
    });
    layer.register(FATAL, (i, ctx) -> {
      if (i == 2 && runsOfTwo.getAndIncrement() == 0) throw new FatalTaskException("corrupted state (injected)");
      return -i;
    });
  }

  @AfterAll
  void stop() {
    layer.close();
  }

  private static List<Integer> range(int n) {
    List<Integer> inputs = new ArrayList<>();
    for (int i = 0; i < n; i++) inputs.add(i);
    return inputs;
  }

  @Test
  void everyElementGetsItsOwnResultInInputOrderFromOneTask() throws Exception {
    long submittedBefore = layer.stats().submitted();
    List<TaskOutcome<Integer>> outcomes = Layers.await(layer.submitBatch(SQUARE, range(1000)));
    assertEquals(1000, outcomes.size());
    for (int i = 0; i < 1000; i++) assertEquals(TaskOutcome.success(i * i), outcomes.get(i), "element " + i);
    assertEquals(1, layer.stats().submitted() - submittedBefore, "a batch of 1000 is one task");
  }

  @Test
  void anAsyncHandlerRunsAllElementsAndFailuresStayWithTheirElement() throws Exception {
    List<TaskOutcome<Integer>> outcomes = Layers.await(layer.submitBatch(ASYNC_SQUARE, range(40)));
    for (int i = 0; i < 40; i++) {
      if (i % 10 == 3) {
        TaskFailedException failed = assertInstanceOf(TaskFailedException.class, outcomes.get(i).failure(), "element " + i);
        assertTrue(failed.getMessage().contains("no threes: " + i), failed.getMessage());
      } else {
        assertEquals(TaskOutcome.success(i * i), outcomes.get(i), "element " + i);
      }
    }
  }

  @Test
  void aTransientlyFailingElementIsRetriedAloneAndSucceeds() throws Exception {
    List<TaskOutcome<Integer>> outcomes = Layers.await(layer.submitBatch(FLAKY, range(20)));
    for (int i = 0; i < 20; i++) assertEquals(TaskOutcome.success(i), outcomes.get(i), "element " + i);
  }

  @Test
  void aNonRetryableElementFailsAloneAfterOneAttempt() throws Exception {
    poisonRuns.set(0);
    List<TaskOutcome<Integer>> outcomes = Layers.await(layer.submitBatch(POISON, range(30)));
    TaskFailedException failed = assertInstanceOf(TaskFailedException.class, outcomes.get(13).failure());
    assertEquals(1, failed.attempts());
    assertEquals(1, poisonRuns.get());
    assertTrue(failed.taskId().endsWith("#13"), failed.taskId());
    for (int i = 0; i < 30; i++) if (i != 13) assertEquals(TaskOutcome.success(i), outcomes.get(i));
  }

  @Test
  void aFatalElementRestartsTheRouteeAndTheElementsAfterItStillRun() throws Exception {
    long restartsBefore = layer.stats().routeeRestarts();
    List<TaskOutcome<Integer>> outcomes = Layers.await(layer.submitBatch(FATAL, range(6)));
    for (int i = 0; i < 6; i++) assertEquals(TaskOutcome.success(-i), outcomes.get(i), "element " + i);
    assertEquals(2, runsOfTwo.get(), "element 2 ran once fatally, then once more alone");
    assertTrue(Stats.until(layer, s -> s.routeeRestarts() > restartsBefore).get().routeeRestarts() > restartsBefore);
  }

  @Test
  void anEmptyBatchCompletesAtOnceWithNoOutcomes() throws Exception {
    assertEquals(List.of(), Layers.await(layer.submitBatch(SQUARE, List.of())));
  }

  @Test
  void badBatchesAreRefusedNamingTheProblem() {
    List<Integer> withNull = new ArrayList<>(List.of(1, 2));
    withNull.add(null);
    NullPointerException npe = assertThrows(NullPointerException.class, () -> layer.submitBatch(SQUARE, withNull));
    assertTrue(npe.getMessage().contains("input 2 of a batch"), npe.getMessage());

    @SuppressWarnings({"unchecked", "rawtypes"})
    List<Integer> mixed = (List) List.of(1, "two", 3);
    ExecutionException wrong = assertThrows(ExecutionException.class,
        () -> layer.submitBatch(SQUARE, mixed).toCompletableFuture().get());
    assertInstanceOf(IllegalArgumentException.class, wrong.getCause());
    assertTrue(wrong.getCause().getMessage().contains("input 1 of the batch"), wrong.getCause().getMessage());

    ExecutionException huge = assertThrows(ExecutionException.class,
        () -> layer.submitBatch(SQUARE, Collections.nCopies(100_001, 1)).toCompletableFuture().get());
    assertTrue(huge.getCause().getMessage().contains("at most 100000"), huge.getCause().getMessage());

    ExecutionException unknown = assertThrows(ExecutionException.class, () -> layer
        .submitBatch(TaskType.of("batch.nobody", Integer.class, Integer.class), List.of(1)).toCompletableFuture().get());
    assertInstanceOf(UnknownTaskTypeException.class, unknown.getCause());
  }
}
