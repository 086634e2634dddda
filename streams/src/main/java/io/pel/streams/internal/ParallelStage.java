package io.pel.streams.internal;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.OverloadedException;
import io.pel.actors.TaskFailedException;
import io.pel.actors.TaskOutcome;
import io.pel.actors.TaskType;
import io.pel.actors.internal.FailureReport;
import io.pel.streams.Outcome;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.InHandler;
import org.apache.pekko.stream.stage.OutHandler;
import org.apache.pekko.stream.stage.TimerGraphStageLogicWithLogging;

/**
 * The operator behind {@link io.pel.streams.ParallelFlow}: elements become tasks (or batch tasks) on the
 * layer, at most {@code parallelism} at a time, and their results are emitted in order or as they come.
 *
 * <p>All state belongs to the stage's logic and is touched only on the stream's thread: task
 * completions arrive through an async callback, never by touching a slot from the future's thread. A
 * slot (one task's inputs and, once known, their outcomes) counts against the parallelism from dispatch
 * until its last element is emitted or dropped, which is what bounds the stage's memory.
 */
public final class ParallelStage<I, O, X> extends GraphStage<FlowShape<I, X>> {

  /** What the stage does with an element that failed for good. */
  public enum Mode {
    /** Fail the stream with the element's failure. */
    FAIL,
    /** Drop the element, log it, and go on. */
    DROP,
    /** Emit an {@link Outcome} for every element. */
    OUTCOME
  }

  /** The stage's shape of work. */
  public record Settings(int parallelism, boolean ordered, int batchSize, Duration maxLinger) {}

  private static final Object LINGER = "linger";
  private static final Duration MAX_OVERLOAD_BACKOFF = Duration.ofMillis(500);

  private final ExecutionLayer layer;
  private final TaskType<I, O> type;
  private final Settings settings;
  private final Mode mode;
  private final Inlet<I> in = Inlet.create("ParallelFlow.in");
  private final Outlet<X> out = Outlet.create("ParallelFlow.out");
  private final FlowShape<I, X> shape = FlowShape.of(in, out);

  public ParallelStage(ExecutionLayer layer, TaskType<I, O> type, Settings settings, Mode mode) {
    this.layer = layer;
    this.type = type;
    this.settings = settings;
    this.mode = mode;
  }

  @Override
  public FlowShape<I, X> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new Logic();
  }

  /** One task's worth of elements: submitted together, released together. */
  private final class Slot {
    final List<I> inputs;
    List<TaskOutcome<O>> outcomes;
    CompletableFuture<?> task;
    int next;
    int overloaded;

    Slot(List<I> inputs) {
      this.inputs = inputs;
    }
  }

  private record Completion<S>(S slot, List<? extends TaskOutcome<?>> outcomes, Throwable failure) {}

  private final class Logic extends TimerGraphStageLogicWithLogging implements InHandler, OutHandler {

    private final LinkedHashSet<Slot> active = new LinkedHashSet<>();
    private final ArrayDeque<Slot> completed = new ArrayDeque<>();
    private final AsyncCallback<Completion<Slot>> onCompletion = createAsyncCallback(this::completed);
    private List<I> building = new ArrayList<>();
    private boolean lingerDue;
    private long dropped;

    Logic() {
      super(shape);
      setHandlers(in, out, this);
    }

    @Override
    public void preStart() {
      maybePull();
    }

    @Override
    public void onPush() {
      building.add(grab(in));
      if (building.size() == 1 && settings.batchSize() > 1) {
        lingerDue = false;
        scheduleOnce(LINGER, settings.maxLinger());
      }
      dispatchIfDue();
      maybePull();
    }

    @Override
    public void onUpstreamFinish() {
      dispatchIfDue();
      emit();
    }

    @Override
    public void onPull() {
      emit();
    }

    @Override
    public void onTimer(Object key) {
      if (key == LINGER) {
        lingerDue = true;
        dispatchIfDue();
      } else {
        @SuppressWarnings("unchecked")
        Slot slot = (Slot) key;
        submit(slot);
      }
    }

    @Override
    public void postStop() {
      for (Slot slot : active) {
        if (slot.outcomes == null && slot.task != null) slot.task.cancel(false);
      }
      if (dropped > 0) log().warning("{} dropped {} elements whose tasks failed", type, dropped);
    }

    private void maybePull() {
      if (!isClosed(in) && !hasBeenPulled(in) && active.size() < settings.parallelism()
          && building.size() < settings.batchSize()) {
        pull(in);
      }
    }

    private void dispatchIfDue() {
      if (building.isEmpty() || active.size() >= settings.parallelism()) return;
      if (building.size() < settings.batchSize() && !lingerDue && !isClosed(in)) return;
      cancelTimer(LINGER);
      lingerDue = false;
      Slot slot = new Slot(building);
      building = new ArrayList<>(Math.min(settings.batchSize(), 1024));
      active.add(slot);
      submit(slot);
    }

    private void submit(Slot slot) {
      if (settings.batchSize() == 1) {
        CompletableFuture<O> task = layer.submit(type, slot.inputs.get(0)).toCompletableFuture();
        slot.task = task;
        task.whenComplete((result, failure) -> onCompletion.invoke(failure == null
            ? new Completion<>(slot, List.of(TaskOutcome.success(result)), null)
            : new Completion<>(slot, null, FailureReport.unwrap(failure))));
      } else {
        CompletableFuture<List<TaskOutcome<O>>> task = layer.submitBatch(type, slot.inputs).toCompletableFuture();
        slot.task = task;
        task.whenComplete((outcomes, failure) -> onCompletion.invoke(new Completion<>(slot, outcomes, FailureReport.unwrap(failure))));
      }
    }

    @SuppressWarnings("unchecked")
    private void completed(Completion<Slot> completion) {
      Slot slot = completion.slot();
      Throwable failure = completion.failure();
      if (failure == null) {
        slot.outcomes = (List<TaskOutcome<O>>) completion.outcomes();
      } else if (failure instanceof CancellationException) {
        return;
      } else if (failure instanceof OverloadedException) {
        slot.overloaded++;
        long millis = Math.min(MAX_OVERLOAD_BACKOFF.toMillis(), 5L << Math.min(slot.overloaded, 8));
        log().debug("{} offered again in {} ms: {}", type, millis, failure.getMessage());
        scheduleOnce(slot, Duration.ofMillis(millis));
        return;
      } else if (failure instanceof TaskFailedException || failure instanceof IllegalArgumentException) {
        slot.outcomes = Collections.nCopies(slot.inputs.size(), TaskOutcome.failure(failure));
      } else {
        failStage(failure);
        return;
      }
      if (!settings.ordered()) completed.add(slot);
      emit();
    }

    /** Emits (or drops) every element that is ready while downstream wants them; completes when all is done. */
    @SuppressWarnings("unchecked")
    private void emit() {
      Slot slot;
      while ((slot = ready()) != null) {
        I input = slot.inputs.get(slot.next);
        TaskOutcome<O> outcome = slot.outcomes.get(slot.next);
        Object element;
        if (mode == Mode.OUTCOME) {
          element = new Outcome<>(input, outcome.result(), outcome.failure());
        } else if (outcome.succeeded() && outcome.result() != null) {
          element = outcome.result();
        } else {
          Throwable failure = outcome.failure() != null ? outcome.failure() : new NullPointerException(
              "the task of type " + type + " returned null for " + input + "; a ParallelFlow emits no nulls (use outcomes())");
          if (mode == Mode.FAIL) {
            failStage(failure);
            return;
          }
          drop(input, failure);
          element = null;
        }
        if (element != null) {
          if (!isAvailable(out)) break;
          push(out, (X) element);
        }
        if (++slot.next == slot.inputs.size()) release(slot);
      }
      if (isClosed(in) && building.isEmpty() && active.isEmpty()) completeStage();
    }

    private Slot ready() {
      Slot slot = settings.ordered() ? (active.isEmpty() ? null : active.iterator().next()) : completed.peekFirst();
      return slot != null && slot.outcomes != null ? slot : null;
    }

    private void release(Slot slot) {
      active.remove(slot);
      if (!settings.ordered()) completed.pollFirst();
      dispatchIfDue();
      maybePull();
    }

    private void drop(I input, Throwable failure) {
      if (dropped++ == 0) {
        log().warning("{} dropped an element whose task failed (further drops are logged at DEBUG): {}", type, failure);
      } else {
        log().debug("{} dropped {}: {}", type, input, failure);
      }
    }
  }
}
