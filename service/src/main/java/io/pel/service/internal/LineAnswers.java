package io.pel.service.internal;

import io.pel.actors.TaskOutcome;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * Puts each line of a stream back together with its answer around a {@code ParallelFlow}: the lines go in
 * on top, their task inputs leave towards the flow, the flow's outcomes come back, and the answers, each
 * with its line's index, come out at the bottom. A refused line (one that ran no task) gets its answer at
 * once and never reaches the flow. In order, answers come out in line order, refused ones in their place;
 * unordered, as they are known.
 *
 * <p>All state belongs to the stage's logic and is touched on the stream's thread only. Lines taken in and
 * not yet answered are held here, at most {@code maxHeld} of them and, past the first, at most {@code
 * maxHeldBytes} of their bytes, so the flow's own window never holds more: small lines travel by the
 * thousand, large ones a few at a time. An outcome finds its line by the order of the outcomes (in order) or by its input object (unordered):
 * Jackson gives each line a fresh input unless it shares a cached one ({@code 1} as an {@code Integer}),
 * and lines that share an input object have equal inputs, so whichever of them takes the outcome gets the
 * right answer.
 *
 * <ul>
 *   <li><b>Emits when</b> the next answer is known (in order: the earliest line's) and downstream demands it.
 *   <li><b>Backpressures when</b> {@code maxHeld} lines or {@code maxHeldBytes} of them are held, or the
 *       flow takes no more inputs.
 *   <li><b>Completes when</b> the lines have ended and every line is answered. If the lines failed (a body
 *       over its size limit), every line taken in is answered first, then the stage fails with that failure.
 *   <li><b>Fails when</b> the flow fails, or ends with lines unanswered.
 *   <li><b>Cancels when</b> downstream cancels: the lines and the flow's outcomes are cancelled.
 * </ul>
 */
final class LineAnswers<I, O> extends GraphStage<BidiShape<LineAnswers.Line<I>, I, Pair<I, TaskOutcome<O>>, LineAnswers.Answer<I, O>>> {

  /**
   * A line as parsed: its index and its task input, or why it has none.
   *
   * @param input the task input; {@code null} when refused
   * @param refusal why the line runs no task; {@code null} when it has an input
   * @param bytes the line's size as read, what it weighs against the stage's byte bound
   */
  record Line<I>(long index, I input, String refusal, int bytes) {}

  /**
   * A line's answer.
   *
   * @param outcome the task's outcome; {@code null} for a refused line
   * @param refusal why the line ran no task; {@code null} when it has an outcome
   * @param taskNanos from the line entering this stage to its outcome; 0 for a refused line
   */
  record Answer<I, O>(long index, TaskOutcome<O> outcome, String refusal, long taskNanos) {}

  private final boolean ordered;
  private final int maxHeld;
  private final long maxHeldBytes;
  private final Inlet<Line<I>> lines = Inlet.create("LineAnswers.lines");
  private final Outlet<I> inputs = Outlet.create("LineAnswers.inputs");
  private final Inlet<Pair<I, TaskOutcome<O>>> outcomes = Inlet.create("LineAnswers.outcomes");
  private final Outlet<Answer<I, O>> answers = Outlet.create("LineAnswers.answers");
  private final BidiShape<Line<I>, I, Pair<I, TaskOutcome<O>>, Answer<I, O>> shape = BidiShape.of(lines, inputs, outcomes, answers);

  private LineAnswers(boolean ordered, int maxHeld, long maxHeldBytes) {
    this.ordered = ordered;
    this.maxHeld = maxHeld;
    this.maxHeldBytes = maxHeldBytes;
  }

  /**
   * The stage as a bidi flow, to {@code join} with a {@code ParallelFlow}'s {@code outcomes()} (in order
   * when {@code ordered}).
   *
   * @throws IllegalArgumentException if {@code maxHeld} or {@code maxHeldBytes} is not positive
   */
  static <I, O> BidiFlow<Line<I>, I, Pair<I, TaskOutcome<O>>, Answer<I, O>, NotUsed> create(boolean ordered, int maxHeld, long maxHeldBytes) {
    if (maxHeld < 1) throw new IllegalArgumentException("maxHeld must be positive, not " + maxHeld);
    if (maxHeldBytes < 1) throw new IllegalArgumentException("maxHeldBytes must be positive, not " + maxHeldBytes);
    return BidiFlow.fromGraph(new LineAnswers<I, O>(ordered, maxHeld, maxHeldBytes));
  }

  @Override
  public BidiShape<Line<I>, I, Pair<I, TaskOutcome<O>>, Answer<I, O>> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new Logic();
  }

  /** One line held: taken in, not yet emitted. */
  private static final class Entry<I, O> {
    final Line<I> line;
    final long enteredNanos;
    TaskOutcome<O> outcome;
    long taskNanos;
    /** Unordered: the next line waiting with the same input object, and (in the first) the last one. */
    Entry<I, O> nextSame;
    Entry<I, O> lastSame;

    Entry(Line<I> line, long enteredNanos) {
      this.line = line;
      this.enteredNanos = enteredNanos;
    }

    boolean answered() {
      return line.refusal() != null || outcome != null;
    }
  }

  private final class Logic extends GraphStageLogic {

    /** In order: every line held, in line order. Unordered: the answered lines, in the order answered. */
    private final ArrayDeque<Entry<I, O>> queue = new ArrayDeque<>();
    /** In order: the lines sent to the flow and not yet answered, in line order. */
    private final ArrayDeque<Entry<I, O>> inFlight = new ArrayDeque<>();
    /** Unordered: the same, by input object (the first of those that share one). */
    private final IdentityHashMap<I, Entry<I, O>> inFlightByInput = new IdentityHashMap<>();
    private int held;
    private long heldBytes;
    private int unanswered;
    private Throwable linesFailure;

    Logic() {
      super(shape);
      setHandler(lines, new AbstractInHandler() {
        @Override
        public void onPush() {
          take(grab(lines));
        }

        @Override
        public void onUpstreamFinish() {
          complete(inputs);
          finishIfDone();
        }

        @Override
        public void onUpstreamFailure(Throwable failure) {
          linesFailure = failure;
          complete(inputs);
          finishIfDone();
        }
      });
      setHandler(inputs, new AbstractOutHandler() {
        @Override
        public void onPull() {
          pullIfRoom();
        }

        @Override
        public void onDownstreamFinish(Throwable cause) {
          cancel(lines); // the flow stopped: its outcomes say whether it failed
        }
      });
      setHandler(outcomes, new AbstractInHandler() {
        @Override
        public void onPush() {
          answered(grab(outcomes));
          // The outcome may have been the last one: answering it can complete (or fail) the stage.
          if (!isClosed(outcomes)) pull(outcomes);
        }

        @Override
        public void onUpstreamFinish() {
          if (unanswered > 0) {
            failStage(new IllegalStateException("the task flow ended with " + unanswered + " lines unanswered"));
          } else {
            finishIfDone();
          }
        }
      });
      setHandler(answers, new AbstractOutHandler() {
        @Override
        public void onPull() {
          emit();
        }
      });
    }

    @Override
    public void preStart() {
      pull(outcomes); // every outcome has its line held here, so outcomes are always welcome
    }

    private void take(Line<I> line) {
      Entry<I, O> entry = new Entry<>(line, System.nanoTime());
      held++;
      heldBytes += line.bytes();
      if (line.refusal() != null) {
        queue.add(entry);
        emit();
      } else {
        unanswered++;
        if (ordered) {
          queue.add(entry);
          inFlight.add(entry);
        } else {
          Entry<I, O> first = inFlightByInput.putIfAbsent(line.input(), entry);
          if (first != null) {
            (first.lastSame == null ? first : first.lastSame).nextSame = entry;
            first.lastSame = entry;
          }
        }
        push(inputs, line.input());
      }
      pullIfRoom();
    }

    private void answered(Pair<I, TaskOutcome<O>> outcome) {
      Entry<I, O> entry = ordered ? inFlight.poll() : takeByInput(outcome.first());
      if (entry == null || entry.line.input() != outcome.first()) {
        failStage(new IllegalStateException("an outcome came back for no line sent: " + outcome.first()));
        return;
      }
      entry.outcome = outcome.second();
      entry.taskNanos = System.nanoTime() - entry.enteredNanos;
      unanswered--;
      if (!ordered) queue.add(entry);
      emit();
    }

    private Entry<I, O> takeByInput(I input) {
      Entry<I, O> first = inFlightByInput.remove(input);
      if (first != null && first.nextSame != null) {
        Entry<I, O> next = first.nextSame;
        next.lastSame = first.lastSame == next ? null : first.lastSame;
        inFlightByInput.put(input, next);
      }
      return first;
    }

    private void emit() {
      if (isAvailable(answers) && !queue.isEmpty() && queue.peek().answered()) {
        Entry<I, O> entry = queue.poll();
        held--;
        heldBytes -= entry.line.bytes();
        push(answers, new Answer<>(entry.line.index(), entry.outcome, entry.line.refusal(), entry.taskNanos));
        pullIfRoom();
      }
      finishIfDone();
    }

    private void pullIfRoom() {
      boolean room = held == 0 || (held < maxHeld && heldBytes < maxHeldBytes);
      if (room && isAvailable(inputs) && !hasBeenPulled(lines) && !isClosed(lines)) pull(lines);
    }

    private void finishIfDone() {
      if (!isClosed(lines) || held > 0) return;
      if (linesFailure != null) failStage(linesFailure);
      else completeStage();
    }
  }
}
