package io.pel.actors.internal.jobs;

import io.pel.actors.OverloadedException;
import io.pel.actors.TaskType;
import io.pel.actors.internal.Admission;
import io.pel.actors.internal.HandlerRegistry;
import java.io.NotSerializableException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Runs a job's unfinished tasks through the node's execution layer, at most {@code
 * pel.jobs.max-in-flight-per-job} at a time, and sends their outcomes to its {@link JobCoordinator} to
 * checkpoint. A task counts against the window until its outcome is checkpointed, so after a crash at most
 * that many tasks run again.
 *
 * <p>Group commit: one checkpoint is in flight at a time, and the outcomes that complete while the store
 * writes it go together in the next, so a checkpoint grows with the store's latency instead of costing a
 * write per task. A checkpoint carries at most {@link JobValues#budget()} bytes; a result larger than that
 * could never be checkpointed, so its task fails with an error saying so.
 *
 * <p>A task that fails for good (the retry policy gave up) has a failure outcome. A task the layer could
 * not take is tried again: once the layer has room, if it was overloaded ({@link Admission#whenRoom}), or
 * a while later if this node has no handler for the type yet; once the layer is closing the runner takes
 * no more, and what it did not checkpoint stays for the job's next run.
 */
final class JobRunner extends AbstractBehavior<JobRunner.Command> {

  /** How long a runner whose node has no handler for its type waits before it looks again. */
  private static final Duration RETRY_DELAY = Duration.ofMillis(200);

  /** Always local: the runner is its coordinator's child. */
  sealed interface Command extends NoSerializationVerificationNeeded {}

  /** The coordinator checkpointed {@code count} outcomes this runner sent. */
  record Checkpointed(int count) implements Command {}

  private record TaskDone(int index, Object result, Throwable failure) implements Command {}

  private enum Retry implements Command { INSTANCE }

  /** The layer, full when a task was refused, has room again. */
  private enum RoomMade implements Command { INSTANCE }

  private final String jobId;
  private final String typeName;
  private final ArrayDeque<Integer> queue;
  private final Map<Integer, byte[]> inputs = new HashMap<>();
  private final Map<Integer, CompletableFuture<?>> running = new HashMap<>();
  private final ArrayDeque<Outcome> unsent = new ArrayDeque<>();
  private final ActorRef<JobCoordinator.Command> coordinator;
  private final JobContext jobs;
  private final TimerScheduler<Command> timers;
  private int window; // submitted and not yet checkpointed
  private int checkpointing; // outcomes sent to the coordinator and not yet acknowledged
  private boolean closing;
  private boolean warnedNoHandler;
  private boolean awaitingRoom;

  private JobRunner(ActorContext<Command> ctx, TimerScheduler<Command> timers, String jobId, String typeName,
      List<Integer> pending, List<byte[]> pendingInputs, ActorRef<JobCoordinator.Command> coordinator, JobContext jobs) {
    super(ctx);
    this.timers = timers;
    this.jobId = jobId;
    this.typeName = typeName;
    this.queue = new ArrayDeque<>(pending);
    for (int i = 0; i < pending.size(); i++) inputs.put(pending.get(i), pendingInputs.get(i));
    this.coordinator = coordinator;
    this.jobs = jobs;
  }

  static Behavior<Command> create(String jobId, String typeName, List<Integer> pending, List<byte[]> inputs,
      ActorRef<JobCoordinator.Command> coordinator, JobContext jobs) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      JobRunner runner = new JobRunner(ctx, timers, jobId, typeName, pending, inputs, coordinator, jobs);
      runner.submitMore();
      return runner;
    }));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(TaskDone.class, this::onTaskDone)
        .onMessage(Checkpointed.class, this::onCheckpointed)
        .onMessageEquals(Retry.INSTANCE, this::submitMore)
        .onMessageEquals(RoomMade.INSTANCE, this::onRoomMade)
        .onSignal(PostStop.class, stop -> onStop())
        .build();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Behavior<Command> submitMore() {
    int limit = jobs.settings().maxInFlightPerJob();
    while (!closing && window < limit && !queue.isEmpty()) {
      HandlerRegistry.Registration registration = jobs.registry().find(typeName);
      if (registration == null) {
        if (!warnedNoHandler) getContext().getLog().warn("Job {} waits: this node has no handler for task type '{}'", jobId, typeName);
        warnedNoHandler = true;
        retryLater();
        return this;
      }
      int index = queue.poll();
      Object input;
      try {
        input = jobs.values().read(inputs.get(index));
      } catch (NotSerializableException e) {
        window++;
        record(Outcome.failure(index, new IllegalArgumentException("input " + index + " of job '" + jobId + "' cannot be read on this node: " + e.getMessage())));
        continue;
      }
      CompletableFuture<?> stage = jobs.submitter().submitAny(registration.type(), null, input, false).toCompletableFuture();
      Throwable refused = stage.isCompletedExceptionally() ? unwrap(stage.handle((r, e) -> e).join()) : null;
      if (refused instanceof OverloadedException) {
        queue.addFirst(index);
        awaitRoom();
        return this;
      }
      if (refused instanceof IllegalStateException) { // the layer is closing: the job's next run takes the rest
        queue.addFirst(index);
        closing = true;
        return this;
      }
      window++;
      running.put(index, stage);
      getContext().pipeToSelf(stage, (result, failure) -> new TaskDone(index, result, failure));
    }
    return this;
  }

  private Behavior<Command> onTaskDone(TaskDone done) {
    running.remove(done.index());
    Throwable failure = done.failure() == null ? null : unwrap(done.failure());
    if (failure instanceof CancellationException || (failure instanceof IllegalStateException && closing)) {
      window--; // withdrawn, not an outcome: it stays unfinished
      return this;
    }
    if (failure != null) {
      record(Outcome.failure(done.index(), failure));
    } else {
      record(stored(done.index(), done.result()));
    }
    inputs.remove(done.index());
    return this;
  }

  /** The outcome of a task that returned {@code result}: the result written, or why it cannot be. */
  private Outcome stored(int index, Object result) {
    byte[] bytes;
    try {
      bytes = jobs.values().write(result);
    } catch (NotSerializableException e) {
      return Outcome.failure(index, new IllegalStateException("the result of task " + index + " of job '" + jobId + "' cannot be stored: " + e.getMessage()));
    }
    Outcome outcome = Outcome.success(index, bytes);
    if (JobValues.sizeOf(outcome) <= jobs.values().budget()) return outcome;
    return Outcome.failure(index, new IllegalStateException("the result of task " + index + " of job '" + jobId + "' takes "
        + bytes.length + " bytes; a job's result may take at most " + jobs.values().budget() + " (half of pel.serialization.max-message-size)"));
  }

  private void record(Outcome outcome) {
    unsent.add(outcome);
    if (checkpointing == 0) flush();
  }

  /** Sends the outcomes not yet sent, as many as fit one checkpoint. */
  private void flush() {
    List<Outcome> checkpoint = new ArrayList<>();
    long bytes = 0;
    while (!unsent.isEmpty()) {
      long size = JobValues.sizeOf(unsent.peekFirst());
      if (!checkpoint.isEmpty() && bytes + size > jobs.values().budget()) break;
      checkpoint.add(unsent.pollFirst());
      bytes += size;
    }
    if (checkpoint.isEmpty()) return;
    checkpointing = checkpoint.size();
    coordinator.tell(new JobCoordinator.Checkpoint(checkpoint));
  }

  private Behavior<Command> onCheckpointed(Checkpointed checkpointed) {
    window -= checkpointed.count();
    checkpointing = 0;
    flush();
    return submitMore();
  }

  private void retryLater() {
    if (!timers.isTimerActive(Retry.INSTANCE)) timers.startSingleTimer(Retry.INSTANCE, RETRY_DELAY);
  }

  private void awaitRoom() {
    if (awaitingRoom) return;
    awaitingRoom = true;
    getContext().pipeToSelf(jobs.admission().whenRoom(), (room, failure) -> RoomMade.INSTANCE);
  }

  private Behavior<Command> onRoomMade() {
    awaitingRoom = false;
    return submitMore();
  }

  private Behavior<Command> onStop() {
    for (CompletableFuture<?> stage : running.values()) stage.cancel(false); // frees their admission places
    return this;
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
    return t;
  }
}
