package io.pel.actors;

import io.pel.actors.internal.HandlerRegistry;
import io.pel.actors.internal.jobs.JobContext;
import io.pel.actors.internal.jobs.JobCoordinator;
import io.pel.actors.internal.jobs.Outcome;
import java.io.NotSerializableException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Checkpointed jobs: named, bounded sets of tasks of one type that survive a crash. Get it from {@link
 * ExecutionLayer#jobs()}.
 *
 * <p>A job's coordinator records in the job store (pel.jobs; an H2 file under {@code pel.data-dir} by
 * default) that the job was accepted, with its inputs, then each task's outcome as it completes. When the
 * process is killed and started again, or the node dies and the job moves to another, the job resumes
 * and runs only the tasks with no recorded outcome: a completed task is not run again, and each task has
 * exactly one outcome. A task that was running at the crash runs again, so handlers of job tasks should
 * tolerate that (at most {@code pel.jobs.max-in-flight-per-job} tasks per crash).
 *
 * <p>Submission is idempotent by job id: submitting the same job again answers with its status, so a
 * caller that lost the answer may simply submit again. Every method is asynchronous and fails its stage
 * with {@link IllegalStateException} when the job's coordinator does not answer within {@code
 * pel.jobs.ask-timeout}. Thread-safe.
 */
public final class Jobs {

  private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._\\-:]{1,200}");
  /** How long {@link #checkStore()} lets the store's query take, where the driver can bound it. */
  private static final int STORE_CHECK_SECONDS = 2;
  /** Room in a message beside a job's inputs: ids, type name, the list's framing. */
  private static final int ENVELOPE_ROOM = 64 * 1024;

  private final JobContext jobs;
  private final HandlerRegistry registry;

  Jobs(JobContext jobs, HandlerRegistry registry) {
    this.jobs = jobs;
    this.registry = registry;
  }

  /**
   * Submits job {@code jobId}: one task of {@code type} per input. The stage completes with the job's
   * status once the job and all its inputs are in the job store (from then on it survives a crash), or at
   * once with the job's current status if this job was submitted before.
   *
   * <p>The stage fails with {@link JobConflictException} if {@code jobId} names a job of another type or
   * other inputs; at once with {@link IllegalArgumentException} if the id is not 1&ndash;200 letters,
   * digits or {@code . _ - :}, if there are no inputs or more than {@code pel.jobs.max-tasks-per-job}, if
   * an input is not of the type's input class or cannot be serialized, or if the inputs together are
   * larger than {@code pel.serialization.max-message-size}; with {@link UnknownTaskTypeException} if this
   * node has no handler for the type.
   *
   * @throws NullPointerException if an argument or an input is null
   */
  public <I, O> CompletionStage<JobStatus> submit(String jobId, TaskType<I, O> type, List<? extends I> inputs) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(inputs, "inputs");
    if (badId(jobId) != null) return failed(badId(jobId));
    HandlerRegistry.Registration registration = registry.find(type.name());
    if (registration == null) return CompletableFuture.failedFuture(new UnknownTaskTypeException(type.name(), registry.names()));
    if (!registration.type().equals(type)) {
      return failed("task type '" + type.name() + "' is registered as " + registration.type() + ", submitted as " + type);
    }
    int max = jobs.settings().maxTasksPerJob();
    if (inputs.isEmpty()) return failed("job '" + jobId + "' has no inputs: a job needs at least one task");
    if (inputs.size() > max) return failed("job '" + jobId + "' has " + inputs.size() + " inputs; at most pel.jobs.max-tasks-per-job = " + max);
    List<byte[]> written = new ArrayList<>(inputs.size());
    long size = 0;
    long digest = 0xcbf29ce484222325L ^ type.name().hashCode();
    for (int i = 0; i < inputs.size(); i++) {
      I input = inputs.get(i);
      if (input == null) throw new NullPointerException("input " + i + " of job '" + jobId + "' is null");
      if (!type.inputType().isInstance(input)) {
        return failed("input " + i + " of job '" + jobId + "' must be a " + type.inputType().getName() + ", not a " + input.getClass().getName());
      }
      byte[] bytes;
      try {
        bytes = jobs.values().write(input);
      } catch (NotSerializableException e) {
        return failed("input " + i + " of job '" + jobId + "' cannot be stored: " + e.getMessage());
      }
      size += bytes.length;
      digest = (digest ^ Arrays.hashCode(bytes)) * 0x100000001b3L;
      written.add(bytes);
    }
    long limit = jobs.values().maxMessageSize() - ENVELOPE_ROOM;
    if (size > limit) {
      return failed("the inputs of job '" + jobId + "' take " + size + " bytes serialized; a job's inputs travel and are "
          + "stored together, so they may take at most " + limit + " (pel.serialization.max-message-size less 64 KiB)");
    }
    long jobDigest = digest;
    return ask(jobId, replyTo -> new JobCoordinator.Submit(type.name(), written, jobDigest, replyTo)).thenApply(Jobs::status);
  }

  /**
   * Whether this node's job store answers now: a connection and a trivial query, on a thread meant for
   * blocking calls. For health checks; the job routes of the streaming service use it for readiness.
   *
   * @return a stage that completes when the store answered, or fails with {@link JobStoreException} naming
   *     the store and why it did not
   */
  public CompletionStage<Void> checkStore() {
    return CompletableFuture.runAsync(() -> {
      try {
        jobs.store().ping(STORE_CHECK_SECONDS);
      } catch (SQLException e) {
        throw new JobStoreException("the job store " + jobs.store().location() + " does not answer: " + e.getMessage(), e);
      }
    }, jobs.blocking());
  }

  /**
   * The job's status and progress now.
   *
   * @return a stage failing with {@link UnknownJobException} if no job has this id, or with {@link
   *     IllegalArgumentException} if {@code jobId} is not a valid id (as for every method here)
   */
  public CompletionStage<JobStatus> status(String jobId) {
    if (badId(jobId) != null) return failed(badId(jobId));
    return ask(jobId, JobCoordinator.GetStatus::new).thenApply(Jobs::status);
  }

  /**
   * Cancels the job: no task of it starts any more, and those running are withdrawn. Tasks already
   * completed keep their outcomes. Cancelling a finished job changes nothing.
   *
   * @return a stage with the job's status after the cancellation, failing with {@link UnknownJobException}
   */
  public CompletionStage<JobStatus> cancel(String jobId) {
    if (badId(jobId) != null) return failed(badId(jobId));
    return ask(jobId, JobCoordinator.Cancel::new).thenApply(Jobs::status);
  }

  /**
   * The outcome of each of the job's tasks, in input order, once the job has finished: a result, or the
   * failure that ended the task ({@link RemoteTaskException} naming the original exception's class). A task
   * of a cancelled job that never completed has a {@link CancellationException}. Waits as long as the job
   * runs; bound it with {@code toCompletableFuture().orTimeout(...)}.
   *
   * @return a stage failing with {@link UnknownJobException}, or {@link IllegalStateException} if the job's
   *     results were compacted after {@code pel.jobs.retention}
   * @throws IllegalArgumentException (in the stage) if the job's tasks are not of {@code type}
   */
  public <I, O> CompletionStage<List<TaskOutcome<O>>> results(String jobId, TaskType<I, O> type) {
    Objects.requireNonNull(type, "type");
    if (badId(jobId) != null) return failed(badId(jobId));
    CompletableFuture<List<TaskOutcome<O>>> results = new CompletableFuture<>();
    awaitResults(jobId, type, 0, null, results);
    return results;
  }

  /** Asks for the page of outcomes from {@code from}; {@code outcomes} holds those of the pages before. */
  private <I, O> void awaitResults(String jobId, TaskType<I, O> type, int from, List<TaskOutcome<O>> outcomes,
      CompletableFuture<List<TaskOutcome<O>>> results) {
    ask(jobId, replyTo -> new JobCoordinator.GetResults(from, replyTo)).whenComplete((reply, failure) -> {
      if (results.isDone()) return;
      if (failure != null && unwrap(failure) instanceof IllegalStateException timeout && timeout.getCause() instanceof TimeoutException) {
        awaitResults(jobId, type, from, outcomes, results); // still running (or moving to another node): ask again
        return;
      }
      if (failure != null) {
        results.completeExceptionally(unwrap(failure));
        return;
      }
      JobCoordinator.Results page = (JobCoordinator.Results) reply;
      List<TaskOutcome<O>> all;
      try {
        all = outcomes != null ? outcomes : notCompleted(jobId, type, page.status());
        for (Outcome o : page.outcomes()) all.set(o.index(), outcome(jobId, type, o));
      } catch (RuntimeException e) {
        results.completeExceptionally(e);
        return;
      }
      if (page.next() < 0) results.complete(all);
      else awaitResults(jobId, type, page.next(), all, results);
    });
  }

  /** One outcome per task, each a cancellation until its page says otherwise. */
  private static <O> List<TaskOutcome<O>> notCompleted(String jobId, TaskType<?, O> type, JobStatus status) {
    if (!status.taskType().equals(type.name())) {
      throw new IllegalArgumentException("job '" + jobId + "' runs task type '" + status.taskType() + "', not '" + type.name() + "'");
    }
    List<TaskOutcome<O>> outcomes = new ArrayList<>(status.total());
    for (int i = 0; i < status.total(); i++) {
      outcomes.add(TaskOutcome.failure(new CancellationException("job '" + jobId + "' was cancelled before task " + i + " completed")));
    }
    return outcomes;
  }

  private <O> TaskOutcome<O> outcome(String jobId, TaskType<?, O> type, Outcome o) {
    if (!o.succeeded()) return TaskOutcome.failure(new RemoteTaskException(o.failureClass(), o.failureMessage(), new StackTraceElement[0]));
    Object value;
    try {
      value = jobs.values().read(o.result());
    } catch (NotSerializableException e) {
      return TaskOutcome.failure(new IllegalStateException("the stored result of task " + o.index() + " of job '" + jobId + "' cannot be read: " + e.getMessage()));
    }
    if (value != null && !type.outputType().isInstance(value)) {
      return TaskOutcome.failure(new IllegalStateException("the stored result of task " + o.index() + " of job '" + jobId
          + "' is a " + value.getClass().getName() + ", not a " + type.outputType().getName()));
    }
    return TaskOutcome.success(type.outputType().cast(value));
  }

  private CompletionStage<JobCoordinator.Reply> ask(String jobId, Function<ActorRef<JobCoordinator.Reply>, JobCoordinator.Command> request) {
    EntityRef<JobCoordinator.Command> coordinator = jobs.sharding().entityRefFor(JobCoordinator.KEY, jobId);
    CompletableFuture<JobCoordinator.Reply> answer = new CompletableFuture<>();
    coordinator.ask(request::apply, jobs.settings().askTimeout()).whenComplete((reply, failure) -> {
      if (failure != null) {
        answer.completeExceptionally(new IllegalStateException("job '" + jobId + "'s coordinator did not answer within pel.jobs.ask-timeout = "
            + jobs.settings().askTimeout(), unwrap(failure)));
      } else if (reply instanceof JobCoordinator.Refused refused) {
        answer.completeExceptionally(switch (refused.reason()) {
          case UNKNOWN_JOB -> new UnknownJobException(jobId);
          case CONFLICT -> new JobConflictException(refused.message());
          case INVALID -> new IllegalArgumentException(refused.message());
          case COMPACTED, UNAVAILABLE -> new IllegalStateException(refused.message());
        });
      } else {
        answer.complete(reply);
      }
    });
    return answer;
  }

  private static JobStatus status(JobCoordinator.Reply reply) {
    return ((JobCoordinator.Status) reply).status();
  }

  /** Why {@code jobId} is not a valid id, or {@code null}. */
  private static String badId(String jobId) {
    Objects.requireNonNull(jobId, "jobId");
    if (JOB_ID.matcher(jobId).matches()) return null;
    return "job id '" + (jobId.length() > 60 ? jobId.substring(0, 60) + "..." : jobId) + "' is not valid: use 1-200 letters, digits or . _ - :";
  }

  private static <T> CompletionStage<T> failed(String message) {
    return CompletableFuture.failedFuture(new IllegalArgumentException(message));
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
    return t;
  }
}
