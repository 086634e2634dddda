package io.pel.actors.internal.jobs;

import io.pel.actors.JobState;
import io.pel.actors.JobStatus;
import io.pel.cluster.PelSerializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.SnapshotCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One job's coordinator: a sharded entity, event-sourced into the job store. It records the job's
 * acceptance (with every input), each batch of task outcomes its {@link JobRunner} checkpoints, and the
 * job's end; it answers status, results and cancel.
 *
 * <p>Exactly-once results: an outcome is recorded once per task index (a second one is ignored), and after
 * a crash or a move to another node the recovered coordinator starts a runner for the tasks that have no
 * recorded outcome only. A task may run again only if it was running, or had finished without being
 * checkpointed, when the coordinator died.
 *
 * <p>Before it accepts a job the coordinator registers it with the cluster's {@link JobIndex}, which wakes
 * every unfinished job at intervals: that is what restarts a job whose node died, and what compacts a
 * finished job after {@code pel.jobs.retention}. Snapshots every {@code pel.jobs.snapshot-every} events
 * (older events deleted) keep recovery short as a job grows; compaction leaves a snapshot of its status.
 */
public final class JobCoordinator extends StoredBehavior<JobCoordinator.Command, JobCoordinator.Event, JobRecord> {

  /** The sharded entity type; an entity's id is its job's id. */
  public static final EntityTypeKey<Command> KEY = EntityTypeKey.create(Command.class, "pel-job");

  public sealed interface Command {}

  /** Accept a job (or, for a job already accepted under this id, report it). */
  public record Submit(String type, List<byte[]> inputs, long digest, ActorRef<Reply> replyTo) implements Command, PelSerializable {}

  public record GetStatus(ActorRef<Reply> replyTo) implements Command, PelSerializable {}

  /** Answered once the job has finished, with the outcomes of the tasks from index {@code from} on, a page at a time. */
  public record GetResults(int from, ActorRef<Reply> replyTo) implements Command, PelSerializable {}

  public record Cancel(ActorRef<Reply> replyTo) implements Command, PelSerializable {}

  /** From the index: run if unfinished, else tell the index where the job stands. */
  public record Wake(ActorRef<JobIndex.Command> index) implements Command, PelSerializable {}

  /** From the index: the job's retention is over; drop its inputs and results. */
  public record Compact(ActorRef<JobIndex.Command> index) implements Command, PelSerializable {}

  /** From the runner: outcomes to checkpoint. */
  record Checkpoint(List<Outcome> outcomes) implements Command, NoSerializationVerificationNeeded {}

  private record Registered(Submit submit) implements Command, NoSerializationVerificationNeeded {}

  private record RegistrationFailed(Submit submit, String reason) implements Command, NoSerializationVerificationNeeded {}

  private record RunnerStopped(ActorRef<JobRunner.Command> runner) implements Command, NoSerializationVerificationNeeded {}

  private record Cleaned(long sequenceNumber, Throwable failure) implements Command, NoSerializationVerificationNeeded {}

  public sealed interface Reply extends PelSerializable {}

  public record Status(JobStatus status) implements Reply {}

  /**
   * A finished job's status and a page of the outcomes of its completed tasks: those from the index asked
   * for, up to half a message's worth of bytes; {@code next} is where the next page starts, -1 after the last.
   */
  public record Results(JobStatus status, List<Outcome> outcomes, int next) implements Reply {}

  /** Why a request was refused. */
  public record Refused(Reason reason, String message) implements Reply {}

  public enum Reason { UNKNOWN_JOB, CONFLICT, INVALID, COMPACTED, UNAVAILABLE }

  public sealed interface Event extends PelSerializable {}

  public record Accepted(String type, List<byte[]> inputs, long digest, long at) implements Event {}

  public record TasksCompleted(List<Outcome> outcomes) implements Event {}

  public record Finished(JobState state, long at) implements Event {}

  public record Compacted(long at) implements Event {}

  private final String jobId;
  private final JobContext jobs;
  private final ActorContext<Command> ctx;
  private ActorRef<JobRunner.Command> runner;
  private int runners;
  private final List<Submit> registering = new ArrayList<>();
  private final List<GetResults> awaitingResults = new ArrayList<>();
  private ActorRef<JobIndex.Command> compactedFor;
  private int loggedTenth;
  private long loggedAt = System.nanoTime();
  private static final java.time.Duration PROGRESS_EVERY = java.time.Duration.ofSeconds(30);

  private JobCoordinator(String jobId, JobContext jobs, ActorContext<Command> ctx) {
    super(PersistenceId.of(KEY.name(), jobId));
    this.jobId = jobId;
    this.jobs = jobs;
    this.ctx = ctx;
  }

  /** The coordinator of job {@code jobId}. */
  public static Behavior<Command> create(String jobId, JobContext jobs) {
    return Behaviors.setup(ctx -> new JobCoordinator(jobId, jobs, ctx));
  }

  @Override
  public JobRecord emptyState() {
    return new JobRecord();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(jobs.settings().snapshotEvery(), 2).withDeleteEventsOnSnapshot();
  }

  @Override
  public boolean shouldSnapshot(JobRecord state, Event event, long sequenceNumber) {
    return event instanceof Compacted;
  }

  @Override
  public SnapshotAdapter<JobRecord> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(JobRecord state) {
        return state.snapshot();
      }

      @Override
      public JobRecord fromJournal(Object from) {
        return JobRecord.fromSnapshot((JobRecord.Snapshot) from);
      }
    };
  }

  @Override
  public CommandHandler<Command, Event, JobRecord> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Submit.class, this::onSubmit)
        .onCommand(Registered.class, this::onRegistered)
        .onCommand(RegistrationFailed.class, this::onRegistrationFailed)
        .onCommand(Checkpoint.class, this::onCheckpoint)
        .onCommand(GetStatus.class, (state, get) -> reply(get.replyTo(), state))
        .onCommand(GetResults.class, this::onGetResults)
        .onCommand(Cancel.class, this::onCancel)
        .onCommand(Wake.class, this::onWake)
        .onCommand(Compact.class, this::onCompact)
        .onCommand(Cleaned.class, this::onCleaned)
        .onCommand(RunnerStopped.class, this::onRunnerStopped)
        .build();
  }

  @Override
  public EventHandler<JobRecord, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Accepted.class, (state, e) -> {
          state.accept(e.type(), e.inputs(), e.digest(), e.at());
          return state;
        })
        .onEvent(TasksCompleted.class, (state, e) -> {
          for (Outcome outcome : e.outcomes()) state.complete(outcome);
          return state;
        })
        .onEvent(Finished.class, (state, e) -> {
          state.finish(e.state(), e.at());
          return state;
        })
        .onEvent(Compacted.class, (state, e) -> {
          state.compact();
          return state;
        })
        .build();
  }

  @Override
  public SignalHandler<JobRecord> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> {
          if (state.running()) {
            ctx.getLog().info("Job {} recovered: {}/{} tasks have outcomes; resuming the rest", jobId, state.succeeded + state.failed, state.total);
            startRunner(state);
          }
        })
        .onSignal(SnapshotCompleted.class, (state, done) -> {
          if (state.compacted && compactedFor != null) clean(done.metadata().sequenceNr());
        })
        .build();
  }

  private Effect<Event, JobRecord> onSubmit(JobRecord state, Submit submit) {
    String invalid = invalid(submit);
    if (invalid != null) return Effect().reply(submit.replyTo(), new Refused(Reason.INVALID, invalid));
    if (state.exists()) return answerSubmit(state, submit);
    registering.add(submit);
    if (registering.size() == 1) {
      ctx.ask(JobIndex.Registered.class, jobs.index(), jobs.settings().askTimeout(),
          replyTo -> new JobIndex.Register(jobId, replyTo),
          (ok, failure) -> ok != null ? new Registered(submit) : new RegistrationFailed(submit, String.valueOf(failure)));
    }
    return Effect().none();
  }

  private Effect<Event, JobRecord> onRegistered(JobRecord state, Registered registered) {
    Submit first = registered.submit();
    if (state.exists()) return answerRegistering(state);
    return Effect().persist(new Accepted(first.type(), first.inputs(), first.digest(), System.currentTimeMillis()))
        .thenRun(accepted -> {
          ctx.getLog().info("Job {} accepted: {} tasks of type {}", jobId, accepted.total, accepted.type);
          startRunner(accepted);
          answerRegistering(accepted);
        });
  }

  private Effect<Event, JobRecord> answerRegistering(JobRecord state) {
    for (Submit waiting : registering) answerSubmit(state, waiting);
    registering.clear();
    return Effect().none();
  }

  private Effect<Event, JobRecord> onRegistrationFailed(JobRecord state, RegistrationFailed failed) {
    for (Submit waiting : registering) {
      waiting.replyTo().tell(new Refused(Reason.UNAVAILABLE, "the cluster's job index did not register job '" + jobId + "': " + failed.reason()));
    }
    registering.clear();
    return Effect().none();
  }

  private Effect<Event, JobRecord> answerSubmit(JobRecord state, Submit submit) {
    boolean same = state.type.equals(submit.type()) && state.total == submit.inputs().size() && state.digest == submit.digest();
    Reply reply = same ? new Status(state.status(jobId, jobs.node()))
        : new Refused(Reason.CONFLICT, "job id '" + jobId + "' already names a job of " + state.total + " tasks of type '"
            + state.type + "'; this submission has " + submit.inputs().size() + " tasks of type '" + submit.type()
            + "'" + (state.type.equals(submit.type()) && state.total == submit.inputs().size() ? " with other inputs" : "")
            + ". A job id names one job: choose another id");
    submit.replyTo().tell(reply);
    return Effect().none();
  }

  /** Why a submission cannot be accepted, or null: Jobs checks all this first, so only a bad peer gets here. */
  private String invalid(Submit submit) {
    if (submit.type() == null || submit.inputs() == null) return "job '" + jobId + "' was submitted without a task type or inputs";
    int n = submit.inputs().size();
    if (n == 0) return "job '" + jobId + "' has no inputs: a job needs at least one task";
    if (n > jobs.settings().maxTasksPerJob()) {
      return "job '" + jobId + "' has " + n + " inputs; at most pel.jobs.max-tasks-per-job = " + jobs.settings().maxTasksPerJob();
    }
    if (submit.inputs().contains(null)) return "job '" + jobId + "' has a missing input";
    return null;
  }

  private Effect<Event, JobRecord> onCheckpoint(JobRecord state, Checkpoint checkpoint) {
    List<Outcome> fresh = new ArrayList<>();
    if (state.running()) {
      for (Outcome o : checkpoint.outcomes()) if (o.index() >= 0 && o.index() < state.total && !state.done(o.index())) fresh.add(o);
    }
    ActorRef<JobRunner.Command> from = runner;
    if (fresh.isEmpty()) {
      if (from != null) from.tell(new JobRunner.Checkpointed(checkpoint.outcomes().size()));
      return Effect().none();
    }
    List<Event> events = new ArrayList<>(2);
    events.add(new TasksCompleted(fresh));
    int done = state.succeeded + state.failed + fresh.size();
    if (done == state.total) events.add(new Finished(JobState.COMPLETED, System.currentTimeMillis()));
    return Effect().persist(events).thenRun(after -> {
      if (after.state.isFinished()) {
        ended(after);
      } else {
        logProgress(after);
        if (from != null) from.tell(new JobRunner.Checkpointed(checkpoint.outcomes().size()));
      }
    });
  }

  private Effect<Event, JobRecord> onGetResults(JobRecord state, GetResults get) {
    if (!state.exists()) return reply(get.replyTo(), state);
    if (state.compacted) {
      return Effect().reply(get.replyTo(), new Refused(Reason.COMPACTED, "job '" + jobId + "' finished at "
          + state.status(jobId, jobs.node()).finishedAt() + " and its results were dropped after pel.jobs.retention = " + jobs.settings().retention()));
    }
    if (state.state.isFinished()) return Effect().reply(get.replyTo(), page(state, get.from()));
    awaitingResults.add(get);
    return Effect().none();
  }

  private Effect<Event, JobRecord> onCancel(JobRecord state, Cancel cancel) {
    if (!state.running()) return reply(cancel.replyTo(), state);
    return Effect().persist(new Finished(JobState.CANCELLED, System.currentTimeMillis())).thenRun(after -> {
      ended(after);
      cancel.replyTo().tell(new Status(after.status(jobId, jobs.node())));
    });
  }

  private Effect<Event, JobRecord> onWake(JobRecord state, Wake wake) {
    if (!state.exists()) {
      if (registering.isEmpty()) wake.index().tell(new JobIndex.NotAccepted(jobId));
    } else if (state.running()) {
      if (runner == null) startRunner(state);
    } else if (state.compacted) {
      wake.index().tell(new JobIndex.Forget(jobId));
    } else {
      wake.index().tell(new JobIndex.Finished(jobId, state.finishedAt));
    }
    return Effect().none();
  }

  private Effect<Event, JobRecord> onCompact(JobRecord state, Compact compact) {
    if (!state.exists() || state.compacted) {
      compact.index().tell(new JobIndex.Forget(jobId));
      return Effect().none();
    }
    if (state.running()) return Effect().none();
    compactedFor = compact.index();
    // The snapshot it triggers (shouldSnapshot) holds the status only; clean() then deletes what came before.
    return Effect().persist(new Compacted(System.currentTimeMillis()));
  }

  private void clean(long sequenceNumber) {
    JobStore store = jobs.store();
    String persistenceId = persistenceId().id();
    ctx.pipeToSelf(java.util.concurrent.CompletableFuture.runAsync(() -> {
      try {
        store.deleteBefore(persistenceId, sequenceNumber);
      } catch (java.sql.SQLException e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    }, jobs.blocking()),
        (ok, failure) -> new Cleaned(sequenceNumber, failure));
  }

  private Effect<Event, JobRecord> onCleaned(JobRecord state, Cleaned cleaned) {
    if (cleaned.failure() != null) {
      ctx.getLog().warn("Job {} compacted, but its older events were not deleted: {}", jobId, cleaned.failure().toString());
    } else {
      ctx.getLog().info("Job {} compacted after its retention: only its status is kept", jobId);
    }
    if (compactedFor != null) compactedFor.tell(new JobIndex.Forget(jobId));
    compactedFor = null;
    return Effect().none();
  }

  private Effect<Event, JobRecord> onRunnerStopped(JobRecord state, RunnerStopped stopped) {
    if (stopped.runner().equals(runner)) {
      runner = null;
      if (state.running()) ctx.getLog().warn("Job {}'s runner stopped with the job unfinished; the next wake starts another", jobId);
    }
    return Effect().none();
  }

  private Effect<Event, JobRecord> reply(ActorRef<Reply> replyTo, JobRecord state) {
    return Effect().reply(replyTo, state.exists() ? new Status(state.status(jobId, jobs.node()))
        : new Refused(Reason.UNKNOWN_JOB, "no job with id '" + jobId + "'"));
  }

  /** The outcomes from index {@code from} on, as many as fit {@link JobValues#budget()}. */
  private Results page(JobRecord state, int from) {
    List<Outcome> page = new ArrayList<>();
    long bytes = 0;
    int i = Math.max(0, from);
    for (; i < state.total; i++) {
      Outcome o = state.outcomes[i];
      if (o == null) continue;
      long size = JobValues.sizeOf(o);
      if (!page.isEmpty() && bytes + size > jobs.values().budget()) break;
      page.add(o);
      bytes += size;
    }
    return new Results(state.status(jobId, jobs.node()), page, i < state.total ? i : -1);
  }

  private void startRunner(JobRecord state) {
    List<Integer> pending = new ArrayList<>();
    List<byte[]> inputs = new ArrayList<>();
    for (int i = 0; i < state.total; i++) {
      if (!state.done(i)) {
        pending.add(i);
        inputs.add(state.inputs[i]);
      }
    }
    runner = ctx.spawn(JobRunner.create(jobId, state.type, pending, inputs, ctx.getSelf(), jobs), "runner-" + (++runners));
    ctx.watchWith(runner, new RunnerStopped(runner));
  }

  /** A long job says how far it is: at each tenth of its tasks, and at least every half minute. */
  private void logProgress(JobRecord state) {
    int done = state.succeeded + state.failed;
    int tenth = (int) (10L * done / state.total);
    long now = System.nanoTime();
    if (tenth > loggedTenth || now - loggedAt > PROGRESS_EVERY.toNanos()) {
      loggedTenth = tenth;
      loggedAt = now;
      ctx.getLog().info("Job {}: {}/{} tasks done ({}%), {} failed", jobId, done, state.total, 100L * done / state.total, state.failed);
    }
  }

  /** After the job completed or was cancelled: stop running, tell the index and whoever waits. */
  private void ended(JobRecord state) {
    if (runner != null) ctx.stop(runner);
    runner = null;
    ctx.getLog().info("Job {} {}: {} succeeded, {} failed of {}", jobId, state.state == JobState.COMPLETED ? "completed" : "cancelled",
        state.succeeded, state.failed, state.total);
    jobs.index().tell(new JobIndex.Finished(jobId, state.finishedAt));
    for (GetResults waiting : awaitingResults) waiting.replyTo().tell(page(state, waiting.from()));
    awaitingResults.clear();
  }
}
