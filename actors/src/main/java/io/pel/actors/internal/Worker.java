package io.pel.actors.internal;

import io.pel.actors.AsyncTaskHandler;
import io.pel.actors.TaskContext;
import io.pel.actors.TaskHandler;
import io.pel.actors.TaskType;
import io.pel.actors.UnknownTaskTypeException;
import io.pel.cluster.PelSerializable;
import io.pel.cluster.PelSettings;
import io.pel.cluster.internal.ContainedValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * A routee: runs tasks with the handlers of this node, on PEL's worker dispatcher.
 *
 * <p>A synchronous handler runs inside the message that brought its task, so a routee runs one of those
 * at a time; an asynchronous one is started and its result comes back through {@code pipeToSelf}, so many
 * may be pending. Every attempt is answered to the supervisor that sent it, exactly once: the attempts of
 * one {@link RunAll} (how supervisors send what they have for this routee at one moment) together once
 * they have run, or every 10 ms while a long batch runs; a lone {@link Run} at once; to another
 * node's supervisor together with the other answers ready for it (see {@link AnswerOutbox}). A fatal failure
 * (an {@link Error}, or {@link io.pel.actors.FatalTaskException}) is answered first and then crashes the
 * routee, which supervision restarts with backoff: handler instances are built again, the mailbox is kept.
 */
public final class Worker {

  /** Where every routee of the cluster registers, so supervisors on any node find it. */
  public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "pel-workers");

  /** The routee's protocol. */
  public sealed interface Command {}

  /** Run one attempt of {@code task} and answer {@code replyTo}. */
  public record Run(Task task, ActorRef<WorkSupervisor.Command> replyTo) implements Command, PelSerializable {}

  /**
   * Run these attempts, in order, and answer {@code replyTo}: how a supervisor on another node sends
   * the attempts it has for this routee at one moment, in one message.
   */
  public record RunAll(List<Task> tasks, ActorRef<WorkSupervisor.Command> replyTo) implements Command, PelSerializable {}

  /**
   * {@code supervisor} will send this routee nothing more: tell {@code replyTo} once everything it sent
   * before has been taken in (messages between two actors keep their order).
   */
  public record Fence(ActorRef<WorkSupervisor.Command> supervisor, ActorRef<NodeDrain.Command> replyTo)
      implements Command, PelSerializable {}

  private enum FlushAnswers implements Command, NoSerializationVerificationNeeded { INSTANCE }

  private record AsyncDone(Run run, TaskType<?, ?> type, Object result, Throwable failure, long startNanos)
      implements Command, NoSerializationVerificationNeeded {}

  private record AsyncBatchDone(Run run, TaskType<?, ?> type, List<CompletableFuture<Object>> parts, long startNanos)
      implements Command, NoSerializationVerificationNeeded {}

  /** What every routee of a node shares. */
  public record Environment(
      HandlerRegistry registry, TaskSubmitter submitter, NodeMetrics metrics, PelSettings settings, BlockingPool blocking) {

    /** Without a blocking pool: blocking types run on the routees. */
    public Environment(HandlerRegistry registry, TaskSubmitter submitter, NodeMetrics metrics, PelSettings settings) {
      this(registry, submitter, metrics, settings, null);
    }
  }

  /** Thrown to make supervision restart the routee after a fatal handler failure. */
  static final class RouteeCrashedException extends RuntimeException {
    RouteeCrashedException(String routee, Throwable cause) {
      super("routee " + routee + " crashed: " + cause, cause);
    }
  }

  private final ActorContext<Command> context;
  private final Environment env;
  private final String name;
  private final Executor executor;
  private final Map<String, Object> handlers = new HashMap<>();
  private final List<String> nonRetryable;
  /** While a batch runs, its answers are held and leave together at least this often. */
  static final long BATCH_ANSWERS_EVERY_NANOS = 10_000_000;

  private final AnswerOutbox answers;
  private boolean flushScheduled;
  /** Whether the attempt running now came in a {@link RunAll}. */
  private boolean inBatch;
  /** Whether the attempt just run was answered at once, and when: a batch's next attempt begins then. */
  private boolean answeredNow;
  private long answeredAt;
  private String lastType;
  private HandlerRegistry.Registration lastRegistration;
  private Object lastHandler;
  /** How long the last synchronous attempt of {@link #lastType} took, which says whether to sample the next. */
  private long lastAttemptNanos;
  private int attemptsSinceSample;

  /** A routee, restarted with backoff when it crashes. */
  public static Behavior<Command> create(Environment env) {
    PelSettings.Backoff backoff = env.settings().restart();
    Behavior<Command> worker = Behaviors.setup(ctx -> new Worker(ctx, env).behavior());
    return Behaviors.supervise(worker)
        .onFailure(
            Exception.class,
            SupervisorStrategy.restartWithBackoff(backoff.min(), backoff.max(), backoff.randomFactor())
                .withStashCapacity(100_000));
  }

  private Worker(ActorContext<Command> context, Environment env) {
    this.context = context;
    context.setLoggerName(Worker.class); // see WorkSupervisor's constructor
    this.env = env;
    this.name = context.getSelf().path().toStringWithAddress(context.getSystem().address());
    this.executor = context.getExecutionContext();
    this.nonRetryable = env.settings().retry().nonRetryable();
    this.answers = new AnswerOutbox(context.getSelf(), env.metrics().running, WireValues.of(context.getSystem()));
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(Run.class, this::onRun)
        .onMessage(RunAll.class, this::onRunAll)
        .onMessage(Fence.class, this::onFence)
        .onMessage(FlushAnswers.class, flush -> onFlush())
        .onMessage(AsyncDone.class, this::onAsyncDone)
        .onMessage(AsyncBatchDone.class, this::onAsyncBatchDone)
        .onSignal(PreRestart.class, signal -> onPreRestart())
        .onSignal(PostStop.class, signal -> onFlush())
        .build();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Behavior<Command> onRun(Run run) {
    long start = System.nanoTime();
    try {
      return run(run, start);
    } finally {
      env.metrics().busyNanos.add(System.nanoTime() - start);
    }
  }

  /** Runs one attempt that began at {@code start} (the clock's reading, so that a batch reads it once an attempt). */
  private Behavior<Command> run(Run run, long start) {
    Task task = run.task();
    env.metrics().running.increment();
    env.metrics().attemptsRun.increment();
    if (task.payload() instanceof ContainedValue.Unreadable unreadable) {
      return answer(run, FailureReport.permanent(new IllegalArgumentException("the input of task " + task.id()
          + " (type '" + task.type() + "') did not reach routee " + name + ": " + unreadable.reason())), start);
    }
    HandlerRegistry.Registration registration = registration(task.type());
    if (registration == null) {
      // The submitting node knows the type, so this node does not know it yet (its routees are found by
      // the cluster as soon as it joins, maybe before its application registered every handler) or runs
      // other code: retryable, so that another routee gets it, and after the last attempt the caller
      // learns which type this node lacked.
      UnknownTaskTypeException unknown = new UnknownTaskTypeException(task.type(), env.registry().names());
      return answer(run, new FailureReport(unknown, true, false), start);
    }
    boolean pooled = env.blocking() != null && registration.pooled();
    Object handler = null;
    if (!pooled) {
      try {
        handler = handler(registration);
      } catch (Throwable failure) {
        return fail(run, failure, start);
      }
    }
    TaskContext taskContext = new RunningTask(task, name, env.submitter(), executor);
    // A batch answers (and crashes, after a fatal element) by itself: its failures belong to its elements.
    if (task.payload() instanceof Batch batch) return runBatch(run, registration, handler, taskContext, batch, start);
    if (pooled) {
      CompletableFuture<Object> stage = env.blocking().submit(registration, task.payload(), taskContext);
      context.pipeToSelf(stage, (result, failure) -> new AsyncDone(run, registration.type(), result, failure, start));
      return Behaviors.same();
    }
    try {
      if (registration.async()) {
        CompletionStage<Object> stage = ((AsyncTaskHandler) handler).apply(task.payload(), taskContext);
        if (stage == null) {
          return answer(run, FailureReport.permanent(nullStage(task.type())), start);
        }
        context.pipeToSelf(stage, (result, failure) -> new AsyncDone(run, registration.type(), result, failure, start));
        return Behaviors.same();
      }
      boolean sample = sampling() && lastAttemptNanos >= BlockingSignal.MIN_SAMPLE_NANOS && ++attemptsSinceSample >= BlockingSignal.SAMPLE_EVERY;
      long cpu = sample ? BlockingSignal.cpuNanos() : 0;
      Object result;
      try {
        result = ((TaskHandler) handler).apply(task.payload(), taskContext);
      } finally {
        if (sample) sampled(registration, System.nanoTime() - start, BlockingSignal.cpuNanos() - cpu);
      }
      succeed(run, registration.type(), result, start);
      lastAttemptNanos = answeredAt - start;
      return Behaviors.same();
    } catch (Throwable failure) {
      lastAttemptNanos = System.nanoTime() - start;
      return fail(run, failure, start);
    }
  }

  private boolean sampling() {
    return env.blocking() != null && env.blocking().detects() && BlockingSignal.CPU_TIME;
  }

  /** An attempt's wall and CPU time, which may show its type waits and belongs on the blocking pool. */
  private void sampled(HandlerRegistry.Registration registration, long wall, long cpu) {
    attemptsSinceSample = 0;
    double share = registration.blocking().onRoutee(wall, cpu);
    if (!Double.isNaN(share)) {
      context.getLog().info("Task type '{}' spends {}% of its attempts' time on the CPU: it waits, and now runs on the"
          + " blocking pool (pel.blocking-pool), not on the routees", registration.type().name(), Math.round(share * 100));
    }
  }

  /**
   * Runs the attempts one by one. If one crashes the routee, the ones after it go back to the mailbox
   * (kept across the restart) rather than vanish with this message.
   */
  private Behavior<Command> onRunAll(RunAll all) {
    List<Task> tasks = all.tasks();
    long since = System.nanoTime();
    long began = since;
    long now = since;
    inBatch = true;
    try {
      for (int i = 0; i < tasks.size(); i++) {
        answeredNow = false;
        try {
          run(new Run(tasks.get(i), all.replyTo()), now);
        } catch (RouteeCrashedException crash) {
          if (i + 1 < tasks.size()) context.getSelf().tell(new RunAll(List.copyOf(tasks.subList(i + 1, tasks.size())), all.replyTo()));
          throw crash;
        }
        // The attempt's answer read the clock as it ended, and the next one begins then.
        now = answeredNow ? answeredAt : System.nanoTime();
        if (now - since > BATCH_ANSWERS_EVERY_NANOS) {
          answers.flush(all.replyTo());
          since = now;
        }
      }
    } finally {
      inBatch = false;
      env.metrics().busyNanos.add(System.nanoTime() - began);
    }
    answers.flush(all.replyTo());
    return Behaviors.same();
  }

  private Behavior<Command> onFence(Fence fence) {
    onFlush();
    fence.replyTo().tell(new NodeDrain.FenceReached(context.getSelf(), fence.supervisor()));
    return Behaviors.same();
  }

  private Behavior<Command> onFlush() {
    flushScheduled = false;
    answers.flush();
    return Behaviors.same();
  }

  /** Answers an attempt: at once to this node's supervisor, batched to another node's. */
  private void reply(Run run, Object result, FailureReport failure, long start) {
    Task task = run.task();
    long end = System.nanoTime();
    answeredNow = true;
    answeredAt = end;
    var answer = new WorkSupervisor.Answered(task.id(), task.attempt(), result, failure, end - start);
    // In a batch, the batch sends its held answers itself when it ends.
    if (answers.send(run.replyTo(), answer, inBatch) && !inBatch && !flushScheduled) {
      flushScheduled = true;
      context.getSelf().tell(FlushAnswers.INSTANCE);
    }
  }

  /** Before a crash: held answers would be lost with this incarnation. */
  private RouteeCrashedException crash(Throwable cause) {
    onFlush();
    return new RouteeCrashedException(name, cause);
  }

  private Behavior<Command> onAsyncDone(AsyncDone done) {
    if (done.failure() != null) return fail(done.run(), done.failure(), done.startNanos());
    return succeed(done.run(), done.type(), done.result(), done.startNanos());
  }

  /**
   * Runs every element of a batch and answers once. A synchronous handler runs them in order and stops
   * at a fatal failure (answered first, as for a single task); an asynchronous one starts them all.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private Behavior<Command> runBatch(
      Run run, HandlerRegistry.Registration registration, Object handler, TaskContext taskContext, Batch batch, long start) {
    List<Object> inputs = batch.inputs();
    if (registration.async() || handler == null) { // an asynchronous handler, or the blocking pool's threads
      List<CompletableFuture<Object>> parts = new ArrayList<>(inputs.size());
      for (Object input : inputs) {
        parts.add(handler == null
            ? env.blocking().submit(registration, input, taskContext)
            : startAsync((AsyncTaskHandler) handler, input, taskContext, registration.type()));
      }
      context.pipeToSelf(CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)),
          (ignored, failure) -> new AsyncBatchDone(run, registration.type(), parts, start));
      return Behaviors.same();
    }
    BatchAnswer answer = new BatchAnswer(inputs.size());
    for (Object input : inputs) {
      Object result;
      try {
        result = ((TaskHandler) handler).apply(input, taskContext);
      } catch (Throwable failure) {
        if (answer.failed(classify(failure))) return answerBatch(run, answer, start);
        continue;
      }
      answer.settled(result, wrongOutput(registration.type(), result));
    }
    return answerBatch(run, answer, start);
  }

  private Behavior<Command> onAsyncBatchDone(AsyncBatchDone done) {
    BatchAnswer answer = new BatchAnswer(done.parts().size());
    for (CompletableFuture<Object> part : done.parts()) {
      Object result;
      try {
        result = part.join();
      } catch (CompletionException failure) {
        answer.failed(classify(failure));
        continue;
      }
      answer.settled(result, wrongOutput(done.type(), result));
    }
    return answerBatch(done.run(), answer, done.startNanos());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static CompletableFuture<Object> startAsync(AsyncTaskHandler handler, Object input, TaskContext ctx, TaskType<?, ?> type) {
    CompletableFuture<Object> part = new CompletableFuture<>();
    try {
      CompletionStage<Object> stage = handler.apply(input, ctx);
      if (stage == null) {
        part.completeExceptionally(nullStage(type.name()));
      } else {
        stage.whenComplete((value, failure) -> {
          if (failure != null) part.completeExceptionally(failure);
          else part.complete(value);
        });
      }
    } catch (Throwable failure) {
      part.completeExceptionally(failure);
    }
    return part;
  }

  private Behavior<Command> answerBatch(Run run, BatchAnswer answer, long start) {
    reply(run, new Batch.Result(run.task().id().toString(), answer.results, answer.failures, answer.ran), null, start);
    if (answer.fatal != null) throw crash(answer.fatal);
    return Behaviors.same();
  }

  /** The per-element answers of a batch, filled in element order. */
  private static final class BatchAnswer {
    final List<Object> results;
    final List<FailureReport> failures;
    int ran;
    Throwable fatal;

    BatchAnswer(int size) {
      results = new ArrayList<>(size);
      failures = new ArrayList<>(size);
    }

    void settled(Object result, FailureReport wrongOutput) {
      results.add(wrongOutput == null ? result : null);
      failures.add(wrongOutput);
      ran++;
    }

    /** Records a failure; {@code true} when it was fatal (the rest of a synchronous batch must not run). */
    boolean failed(FailureReport report) {
      results.add(null);
      failures.add(report);
      ran++;
      if (report.fatal() && fatal == null) fatal = report.cause();
      return report.fatal();
    }
  }

  private Behavior<Command> onPreRestart() {
    env.metrics().routeeRestarts.increment();
    context.getLog().info("Routee {} restarting after a fatal task failure", name);
    return Behaviors.same();
  }

  /** The registration of {@code type}; the last one found is kept, as a batch is mostly of one type. */
  private HandlerRegistry.Registration registration(String type) {
    if (type.equals(lastType) && lastRegistration != null) return lastRegistration;
    HandlerRegistry.Registration found = env.registry().find(type);
    lastType = type;
    lastRegistration = found;
    lastHandler = null;
    lastAttemptNanos = 0;
    return found;
  }

  /** This incarnation's handler for the type, built by its factory on first use (no allocation after). */
  private Object handler(HandlerRegistry.Registration registration) {
    if (registration == lastRegistration && lastHandler != null) return lastHandler;
    String type = registration.type().name();
    Object handler = handlers.get(type);
    if (handler == null) {
      handler = registration.newHandler();
      handlers.put(type, handler);
    }
    if (registration == lastRegistration) lastHandler = handler;
    return handler;
  }

  private Behavior<Command> succeed(Run run, TaskType<?, ?> type, Object result, long start) {
    FailureReport wrong = wrongOutput(type, result);
    if (wrong != null) return answer(run, wrong, start);
    reply(run, result, null, start);
    return Behaviors.same();
  }

  private Behavior<Command> fail(Run run, Throwable failure, long start) {
    FailureReport report = classify(failure);
    answer(run, report, start);
    if (report.fatal()) throw crash(report.cause());
    return Behaviors.same();
  }

  /** Judges a handler's failure; a VM error (out of memory, stack overflow) is rethrown, never answered. */
  private FailureReport classify(Throwable failure) {
    Throwable cause = FailureReport.unwrap(failure);
    if (cause instanceof VirtualMachineError vmError) throw vmError;
    return FailureReport.of(cause, nonRetryable);
  }

  /** A permanent failure when the handler's result is not of its type's output class, else {@code null}. */
  private static FailureReport wrongOutput(TaskType<?, ?> type, Object result) {
    if (result == null || type.outputType().isInstance(result)) return null;
    return FailureReport.permanent(new IllegalStateException("the handler of task type " + type
        + " returned a " + result.getClass().getName() + ", not a " + type.outputType().getName()));
  }

  private static IllegalStateException nullStage(String type) {
    return new IllegalStateException("the handler of task type '" + type + "' returned a null CompletionStage");
  }

  private Behavior<Command> answer(Run run, FailureReport report, long start) {
    reply(run, null, report, start);
    return Behaviors.same();
  }
}
