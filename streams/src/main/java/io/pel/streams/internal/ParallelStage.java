package io.pel.streams.internal;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.OverloadedException;
import io.pel.actors.TaskFailedException;
import io.pel.actors.TaskOutcome;
import org.apache.pekko.japi.Pair;
import io.pel.actors.TaskType;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
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
 * layer and their results are emitted in order or as they come.
 *
 * <p>Two ways to form batches. By default they form by themselves ({@link BatchSizing}): an element
 * leaves at once while fewer than two batches per routee are out, and elements that arrive meanwhile
 * wait for the next batch, which grows with the load up to about 8 ms of work; the window of
 * elements in flight is sized from the routees and the measured service time, or set by {@code
 * parallelism(n)}. Batched by hand ({@code batched(size, linger)}), a batch leaves when it is full or its
 * linger is over, and the parallelism counts batches.
 *
 * <p>All state belongs to the stage's logic and is touched only on the stream's thread: task
 * completions arrive through an async callback, never by touching a slot from the future's thread. A
 * slot (one task's inputs and, once known, their outcomes) counts against the window from dispatch
 * until its last element is emitted or dropped, which is what bounds the stage's memory.
 *
 * <p>A full layer is backpressure, not failure: a slot the layer refused for overload waits in {@code
 * refused}, with the slots dispatched after it, until the layer has room ({@link
 * ExecutionLayer#whenAcceptingMore}, through another async callback); then they are offered again in
 * order up to the first one refused, so that the stage waits on one signal and pays at most one refusal
 * per wake-up, however many slots wait.
 */
public final class ParallelStage<I, O, X> extends GraphStage<FlowShape<I, X>> {

  /** What the stage does with an element that failed for good. */
  public enum Mode {
    /** Fail the stream with the element's failure. */
    FAIL,
    /** Drop the element, log it, and go on. */
    DROP,
    /** Emit every element with its {@link TaskOutcome}, as a pair. */
    OUTCOME
  }

  /**
   * The stage's shape of work.
   *
   * @param parallelism elements in flight (batches, when batched by hand); 0 to size the window by itself
   * @param batchSize elements per batch set by hand; 0 for batches that form by themselves
   * @param maxLinger how long a batch formed by hand waits to fill
   */
  public record Settings(int parallelism, boolean ordered, int batchSize, Duration maxLinger) {

    boolean batchedByHand() {
      return batchSize > 0;
    }
  }

  private static final Object LINGER = "linger";

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
    /** When it left, and how many batches were out then, itself included: for {@link BatchSizing}. */
    long sentNanos;
    int batchesOut;

    Slot(List<I> inputs) {
      this.inputs = inputs;
    }
  }

  private record Completion<S>(S slot, List<? extends TaskOutcome<?>> outcomes, Throwable failure) {}

  private final class Logic extends TimerGraphStageLogicWithLogging implements InHandler, OutHandler {

    private final LinkedHashSet<Slot> active = new LinkedHashSet<>();
    private final ArrayDeque<Slot> completed = new ArrayDeque<>();
    private final AsyncCallback<Completion<Slot>> onCompletion = createAsyncCallback(this::completed);
    private final AsyncCallback<Done> onRoom = createAsyncCallback(room -> offerRefused());
    /** Slots refused for overload, and those dispatched after them, in the order they were dispatched. */
    private final ArrayDeque<Slot> refused = new ArrayDeque<>();
    private boolean awaitingRoom;
    private final BatchSizing sizing = new BatchSizing(settings.batchedByHand() ? 0 : settings.parallelism());
    private List<I> building = new ArrayList<>();
    private boolean lingerDue;
    private long dropped;
    /** Elements of the active slots not yet emitted or dropped. */
    private int held;
    /** Active slots whose task has not completed yet. */
    private int running;
    /** {@link BatchSizing}'s limits, read again whenever a batch leaves or comes back (not per element). */
    private int window;
    private int maxBatch;
    private int batchesInFlight;

    Logic() {
      super(shape);
      setHandlers(in, out, this);
    }

    @Override
    public void preStart() {
      resize();
      maybePull();
    }

    private void resize() {
      int routees = layer.routeeCount();
      batchesInFlight = settings.batchedByHand() && settings.parallelism() > 0 ? settings.parallelism() : sizing.batchesInFlight(routees);
      window = sizing.window(routees);
      maxBatch = sizing.maxBatch(routees);
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
      lingerDue = true;
      dispatchIfDue();
    }

    @Override
    public void postStop() {
      for (Slot slot : active) {
        if (slot.outcomes == null && slot.task != null) slot.task.cancel(false);
      }
      if (dropped > 0) log().warning("{} dropped {} elements whose tasks failed", type, dropped);
    }

    private void maybePull() {
      if (isClosed(in) || hasBeenPulled(in)) return;
      if (settings.batchedByHand()) {
        if (active.size() < batchesInFlight && building.size() < settings.batchSize()) pull(in);
      } else if (held + building.size() < window && building.size() < maxBatch) {
        pull(in);
      }
    }

    private void dispatchIfDue() {
      if (building.isEmpty() || !due()) return;
      cancelTimer(LINGER);
      lingerDue = false;
      Slot slot = new Slot(building);
      building = new ArrayList<>(Math.min(settings.batchedByHand() ? settings.batchSize() : slot.inputs.size() * 2, 1024));
      active.add(slot);
      held += slot.inputs.size();
      running++;
      slot.sentNanos = System.nanoTime();
      slot.batchesOut = running;
      submit(slot);
      resize();
    }

    /**
     * Batched by hand: a slot is free and the batch is full, its linger is over or no more input comes.
     * Otherwise: a routee can take more, or the batch is full.
     */
    private boolean due() {
      if (settings.batchedByHand()) {
        if (active.size() >= batchesInFlight) return false;
        return building.size() >= settings.batchSize() || lingerDue || isClosed(in);
      }
      return running < batchesInFlight || building.size() >= maxBatch;
    }

    private void submit(Slot slot) {
      if (!refused.isEmpty() || !offer(slot)) {
        refused.add(slot);
        awaitRoom();
      }
    }

    /** Gives the slot's task to the layer; {@code false}, and nothing else done, if the layer is full. */
    private boolean offer(Slot slot) {
      if (slot.inputs.size() == 1) {
        CompletableFuture<O> task = layer.submit(type, slot.inputs.get(0)).toCompletableFuture();
        if (overloaded(task)) return false;
        slot.task = task;
        task.whenComplete((result, failure) -> onCompletion.invoke(failure == null
            ? new Completion<>(slot, List.of(TaskOutcome.success(result)), null)
            : new Completion<>(slot, null, Completions.unwrap(failure))));
      } else {
        CompletableFuture<List<TaskOutcome<O>>> task = layer.submitBatch(type, slot.inputs).toCompletableFuture();
        if (overloaded(task)) return false;
        slot.task = task;
        task.whenComplete((outcomes, failure) -> onCompletion.invoke(new Completion<>(slot, outcomes, Completions.unwrap(failure))));
      }
      return true;
    }

    private boolean overloaded(CompletableFuture<?> task) {
      return task.isCompletedExceptionally() && task.handle((r, e) -> Completions.unwrap(e) instanceof OverloadedException).join();
    }

    private void awaitRoom() {
      if (awaitingRoom) return;
      awaitingRoom = true;
      layer.whenAcceptingMore().thenRun(() -> onRoom.invoke(Done.getInstance()));
    }

    private void offerRefused() {
      awaitingRoom = false;
      while (!refused.isEmpty()) {
        if (!offer(refused.peekFirst())) {
          awaitRoom();
          return;
        }
        refused.pollFirst();
      }
    }

    @SuppressWarnings("unchecked")
    private void completed(Completion<Slot> completion) {
      Slot slot = completion.slot();
      Throwable failure = completion.failure();
      if (failure == null) {
        slot.outcomes = (List<TaskOutcome<O>>) completion.outcomes();
        sizing.completed(slot.inputs.size(), System.nanoTime() - slot.sentNanos, slot.batchesOut, layer.routeeCount());
        resize();
      } else if (failure instanceof CancellationException) {
        return;
      } else if (failure instanceof OverloadedException) { // refused after all, not at once
        refused.add(slot);
        awaitRoom();
        return;
      } else if (failure instanceof TaskFailedException || failure instanceof IllegalArgumentException) {
        slot.outcomes = Collections.nCopies(slot.inputs.size(), TaskOutcome.failure(failure));
      } else {
        failStage(failure);
        return;
      }
      running--;
      if (!settings.ordered()) completed.add(slot);
      emit();
      dispatchIfDue();
      maybePull();
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
          element = Pair.create(input, outcome);
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
        held--;
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
