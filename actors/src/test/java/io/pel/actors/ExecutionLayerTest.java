package io.pel.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pel.cluster.InvalidSettingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The facade: close drains, fan-out combines, and bad input is answered without harm. */
class ExecutionLayerTest {

  private static final TaskType<Integer, Integer> SQUARE = TaskType.of("square", Integer.class, Integer.class);
  private static final TaskType<Integer, Integer> SUM_OF_SQUARES = TaskType.of("sum-of-squares", Integer.class, Integer.class);
  private static final TaskType<Integer, String> NOTHING = TaskType.of("nothing", Integer.class, String.class);
  private static final TaskType<Integer, String> NO_STAGE = TaskType.of("no-stage", Integer.class, String.class);
  private static final TaskType<Integer, String> WRONG_OUTPUT = TaskType.of("wrong-output", Integer.class, String.class);
  private static final TaskType<Integer, Integer> NEVER_REGISTERED = TaskType.of("never-registered", Integer.class, Integer.class);

  @Test
  void closeCompletesAcceptedTasksAndRefusesNewOnes() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<CompletionStage<Integer>> accepted = new ArrayList<>();
    ExecutionLayer layer = Layers.start("pel.workers-per-node = 2");
    layer.register(SQUARE, (i, ctx) -> {
      release.await();
      return i * i;
    });
    for (int i = 0; i < 20; i++) accepted.add(layer.submit(SQUARE, i));
    CompletableFuture<Void> closing = CompletableFuture.runAsync(layer::close);
    Layers.await(Stats.until(() -> !layer.isAcceptingTasks()));
    Throwable refusal = layer.submit(SQUARE, 1).toCompletableFuture().handle((r, e) -> e).join();
    assertInstanceOf(IllegalStateException.class, refusal);
    assertTrue(refusal.getMessage().contains("closed"), refusal.getMessage());
    assertTrue(!closing.isDone(), "close waits for accepted work");
    release.countDown();
    closing.get();
    for (int i = 0; i < 20; i++) assertEquals(i * i, accepted.get(i).toCompletableFuture().getNow(-1));
  }

  @Test
  void aTaskFansOutAHundredSubTasksAndCombinesThem() throws Exception {
    try (ExecutionLayer layer = Layers.start("pel.workers-per-node = 2")) {
      layer.register(SQUARE, (i, ctx) -> i * i);
      layer.registerAsync(SUM_OF_SQUARES, (n, ctx) -> {
        List<CompletableFuture<Integer>> parts = new ArrayList<>();
        for (int i = 1; i <= n; i++) parts.add(ctx.submit(SQUARE, i).toCompletableFuture());
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
            .thenApply(v -> parts.stream().mapToInt(CompletableFuture::join).sum());
      });
      assertEquals(338_350, Layers.await(layer.submit(SUM_OF_SQUARES, 100)));
      assertEquals(101, layer.stats().succeeded());
    }
  }

  @Test
  void badInputIsAnsweredClearlyAndDisturbsNothing() throws Exception {
    try (ExecutionLayer layer = Layers.start("pel.workers-per-node = 2")) {
      layer.register(SQUARE, (i, ctx) -> i * i);
      layer.register(NOTHING, (i, ctx) -> null);
      layer.registerAsync(NO_STAGE, (i, ctx) -> null);
      @SuppressWarnings({"unchecked", "rawtypes"})
      TaskHandler<Integer, String> returnsInteger = (TaskHandler) (TaskHandler<Integer, Integer>) (i, ctx) -> i;
      layer.register(WRONG_OUTPUT, returnsInteger);

      Throwable unknown = failure(layer.submit(NEVER_REGISTERED, 1));
      assertInstanceOf(UnknownTaskTypeException.class, unknown);
      assertTrue(unknown.getMessage().contains("'never-registered'") && unknown.getMessage().contains("square, wrong-output"),
          unknown.getMessage());

      NullPointerException nullInput = assertThrows(NullPointerException.class, () -> layer.submit(SQUARE, null));
      assertTrue(nullInput.getMessage().contains("input of task type 'square' is null"), nullInput.getMessage());

      @SuppressWarnings({"unchecked", "rawtypes"})
      TaskType<Object, Integer> mistyped = (TaskType) SQUARE;
      Throwable wrongInput = failure(layer.submit(mistyped, "not a number"));
      assertInstanceOf(IllegalArgumentException.class, wrongInput);
      assertTrue(wrongInput.getMessage().contains("java.lang.String"), wrongInput.getMessage());

      Throwable reRegister = assertThrows(IllegalStateException.class, () -> layer.register(SQUARE, (i, ctx) -> i));
      assertTrue(reRegister.getMessage().contains("'square' is already registered"), reRegister.getMessage());

      assertNull(Layers.await(layer.submit(NOTHING, 1)), "a handler may return null");

      TaskFailedException noStage = assertInstanceOf(TaskFailedException.class, failure(layer.submit(NO_STAGE, 1)));
      assertEquals(1, noStage.attempts());
      assertTrue(noStage.getCause().getMessage().contains("'no-stage' returned a null CompletionStage"), noStage.getMessage());

      TaskFailedException wrongOutput = assertInstanceOf(TaskFailedException.class, failure(layer.submit(WRONG_OUTPUT, 5)));
      assertTrue(wrongOutput.getCause().getMessage().contains("returned a java.lang.Integer, not a java.lang.String"),
          wrongOutput.getMessage());

      assertThrows(IllegalArgumentException.class, () -> TaskType.of("has spaces", String.class, String.class));
      assertThrows(IllegalArgumentException.class, () -> TaskType.of("x".repeat(201), String.class, String.class));

      List<CompletionStage<Integer>> around = new ArrayList<>();
      for (int i = 0; i < 1000; i++) around.add(layer.submit(SQUARE, i));
      List<CompletableFuture<Integer>> done = Layers.awaitAll(around);
      for (int i = 0; i < 1000; i++) assertEquals(i * i, done.get(i).join());
      assertEquals(0, layer.stats().routeeRestarts(), "bad input never crashes a routee");
    }
  }

  @Test
  void anInvalidSettingStopsStartUpNamingTheKeyAndValue() {
    InvalidSettingException e = assertThrows(InvalidSettingException.class,
        () -> ExecutionLayer.start(ConfigFactory.parseString("pel.routing.strategy = fastest")));
    assertEquals("pel.routing.strategy", e.setting());
    assertTrue(e.getMessage().contains("'fastest'") && e.getMessage().contains("adaptive"), e.getMessage());
  }

  @Test
  void theEnvironmentGivenToStartIsReadInsteadOfTheProcessEnvironment() {
    InvalidSettingException e = assertThrows(InvalidSettingException.class,
        () -> ExecutionLayer.start(ConfigFactory.empty(), Map.of("PEL_PORT", "70000")));
    assertEquals("PEL_PORT", e.setting());
    assertTrue(e.getMessage().contains("'70000'"), e.getMessage());
  }

  private static Throwable failure(CompletionStage<?> stage) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> Layers.await(stage));
    return e.getCause();
  }
}
