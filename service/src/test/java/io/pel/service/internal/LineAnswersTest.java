package io.pel.service.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.actors.TaskOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link LineAnswers} around a stand-in for the ParallelFlow that answers {@code n -> n * 10} late and, when
 * unordered, out of order: refused lines keep their place in order, every line is answered once, and no more
 * lines than the bound are ever taken in and unanswered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LineAnswersTest {

  private ActorSystem<Void> system;

  @BeforeAll
  void start() {
    system = ActorSystem.create(Behaviors.empty(), "line-answers-test");
  }

  @AfterAll
  void stop() {
    system.terminate();
  }

  /** Every third line refused; the others carry their index as input (a fresh Long each, above the cache). */
  private static List<LineAnswers.Line<Long>> lines(int count) {
    return lines(count, 10);
  }

  /** The same, each line weighing {@code bytes}. */
  private static List<LineAnswers.Line<Long>> lines(int count, int bytes) {
    List<LineAnswers.Line<Long>> lines = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      lines.add(i % 3 == 1 ? new LineAnswers.Line<>(i, null, "refused " + i, bytes)
          : new LineAnswers.Line<>(i, Long.valueOf(1000 + i), null, bytes));
    }
    return lines;
  }

  /** Answers late, out of order when {@code ordered} is false, counting the inputs in flight. */
  private static Flow<Long, Pair<Long, TaskOutcome<Long>>, NotUsed> tasks(boolean ordered, AtomicInteger inFlight, AtomicInteger maxInFlight) {
    Flow<Long, Long, NotUsed> counted = Flow.<Long>create().map(n -> {
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      return n;
    });
    Flow<Long, Pair<Long, TaskOutcome<Long>>, NotUsed> late = ordered
        ? counted.mapAsync(8, n -> later(n, 1 + n % 4))
        : counted.mapAsyncUnordered(8, n -> later(n, 1 + (7 - n % 8)));
    return late.map(outcome -> {
      inFlight.decrementAndGet();
      return outcome;
    });
  }

  private static CompletableFuture<Pair<Long, TaskOutcome<Long>>> later(Long n, long millis) {
    return CompletableFuture.supplyAsync(() -> Pair.create(n, TaskOutcome.success((n - 1000) * 10)),
        CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
  }

  private List<LineAnswers.Answer<Long, Long>> run(boolean ordered, int maxHeld, AtomicInteger maxInFlight) throws Exception {
    return run(lines(300), ordered, maxHeld, Long.MAX_VALUE, maxInFlight);
  }

  private List<LineAnswers.Answer<Long, Long>> run(List<LineAnswers.Line<Long>> lines, boolean ordered, int maxHeld, long maxHeldBytes,
      AtomicInteger maxInFlight) throws Exception {
    return Source.from(lines)
        .via(LineAnswers.<Long, Long>create(ordered, maxHeld, maxHeldBytes).join(tasks(ordered, new AtomicInteger(), maxInFlight)))
        .runWith(Sink.seq(), system).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void theBytesHeldAreBoundedTooAndALineLargerThanTheBoundStillGoesAlone() throws Exception {
    AtomicInteger maxInFlight = new AtomicInteger();
    // Lines of 100 bytes under a bound of 450: a line is taken in while fewer than 450 bytes are held, so at
    // most five are, though the line bound would allow 1,000.
    List<LineAnswers.Answer<Long, Long>> answers = run(lines(300, 100), true, 1_000, 450, maxInFlight);
    assertEquals(300, answers.size());
    assertTrue(maxInFlight.get() <= 5, "in flight at most: " + maxInFlight.get());

    AtomicInteger alone = new AtomicInteger();
    List<LineAnswers.Answer<Long, Long>> large = run(lines(30, 1_000), false, 1_000, 450, alone);
    assertEquals(30, large.size(), "every line larger than the bound is answered");
    assertEquals(1, alone.get(), "one line at a time");
  }

  @Test
  void inOrderEveryLineComesOutInItsPlaceRefusedOnesToo() throws Exception {
    AtomicInteger maxInFlight = new AtomicInteger();
    List<LineAnswers.Answer<Long, Long>> answers = run(true, 5, maxInFlight);
    assertEquals(300, answers.size());
    for (int i = 0; i < 300; i++) {
      LineAnswers.Answer<Long, Long> answer = answers.get(i);
      assertEquals(i, answer.index());
      if (i % 3 == 1) assertEquals("refused " + i, answer.refusal());
      else assertEquals(i * 10L, answer.outcome().result());
    }
    assertTrue(maxInFlight.get() <= 5, "in flight at most: " + maxInFlight.get());
  }

  @Test
  void unorderedEveryLineComesOutOnceWithItsOwnAnswer() throws Exception {
    AtomicInteger maxInFlight = new AtomicInteger();
    List<LineAnswers.Answer<Long, Long>> answers = run(false, 6, maxInFlight);
    assertEquals(300, answers.size());
    boolean[] seen = new boolean[300];
    boolean reordered = false;
    for (int k = 0; k < answers.size(); k++) {
      LineAnswers.Answer<Long, Long> answer = answers.get(k);
      int i = (int) answer.index();
      assertTrue(!seen[i], "line " + i + " twice");
      seen[i] = true;
      reordered |= i != k;
      if (i % 3 == 1) assertEquals("refused " + i, answer.refusal());
      else assertEquals(i * 10L, answer.outcome().result(), "line " + i);
    }
    assertTrue(reordered, "the stand-in answers out of order, so the answers should be too");
    assertTrue(maxInFlight.get() <= 6, "in flight at most: " + maxInFlight.get());
  }

  @Test
  void linesThatFailAreAnsweredAsFarAsTheyWentThenTheStageFails() throws Exception {
    Source<LineAnswers.Line<Long>, NotUsed> failing = Source.from(lines(31)).map(line -> {
      if (line.index() == 30) throw new IllegalStateException("the body broke off");
      return line;
    });
    List<Long> indexes = new ArrayList<>();
    CompletableFuture<?> done = failing
        .via(LineAnswers.<Long, Long>create(true, 8, Long.MAX_VALUE).join(tasks(true, new AtomicInteger(), new AtomicInteger())))
        .runForeach(answer -> indexes.add(answer.index()), system).toCompletableFuture();
    ExecutionException failure = assertThrows(ExecutionException.class, () -> done.get(30, TimeUnit.SECONDS));
    assertEquals("the body broke off", failure.getCause().getMessage());
    assertEquals(30, indexes.size(), "every line taken in was answered before the failure: " + indexes);
  }

  @Test
  void aBoundBelowOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> LineAnswers.create(true, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> LineAnswers.create(true, 1, 0));
  }
}
