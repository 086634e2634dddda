package io.pel.actors.internal;

import io.pel.actors.AsyncTaskHandler;
import io.pel.actors.TaskContext;
import io.pel.actors.TaskHandler;
import io.pel.actors.TaskType;
import io.pel.actors.UnknownTaskTypeException;
import io.pel.cluster.PelSerializable;
import io.pel.cluster.PelSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
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
 * may be pending. Every attempt is answered to the supervisor that sent it, exactly once. A fatal failure
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

  private record AsyncDone(Run run, TaskType<?, ?> type, Object result, Throwable failure, long startNanos)
      implements Command, NoSerializationVerificationNeeded {}

  /** What every routee of a node shares. */
  public record Environment(
      HandlerRegistry registry, TaskSubmitter submitter, NodeMetrics metrics, PelSettings settings) {}

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
    this.env = env;
    this.name = context.getSelf().path().toStringWithAddress(context.getSystem().address());
    this.executor = context.getExecutionContext();
    this.nonRetryable = env.settings().retry().nonRetryable();
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(Run.class, this::onRun)
        .onMessage(AsyncDone.class, this::onAsyncDone)
        .onSignal(PreRestart.class, signal -> onPreRestart())
        .build();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Behavior<Command> onRun(Run run) {
    Task task = run.task();
    long start = System.nanoTime();
    HandlerRegistry.Registration registration = env.registry().find(task.type());
    if (registration == null) {
      UnknownTaskTypeException unknown = new UnknownTaskTypeException(task.type(), env.registry().names());
      return answer(run, FailureReport.permanent(unknown), start);
    }
    try {
      Object handler = handler(registration);
      TaskContext taskContext = new RunningTask(task, name, env.submitter(), executor);
      if (registration.async()) {
        CompletionStage<Object> stage = ((AsyncTaskHandler) handler).apply(task.payload(), taskContext);
        if (stage == null) {
          return answer(run, FailureReport.permanent(new IllegalStateException(
              "the handler of task type '" + task.type() + "' returned a null CompletionStage")), start);
        }
        context.pipeToSelf(stage, (result, failure) -> new AsyncDone(run, registration.type(), result, failure, start));
        return Behaviors.same();
      }
      Object result = ((TaskHandler) handler).apply(task.payload(), taskContext);
      return succeed(run, registration.type(), result, start);
    } catch (Throwable failure) {
      return fail(run, failure, start);
    }
  }

  private Behavior<Command> onAsyncDone(AsyncDone done) {
    if (done.failure() != null) return fail(done.run(), done.failure(), done.startNanos());
    return succeed(done.run(), done.type(), done.result(), done.startNanos());
  }

  private Behavior<Command> onPreRestart() {
    env.metrics().routeeRestarts.increment();
    context.getLog().info("Routee {} restarting after a fatal task failure", name);
    return Behaviors.same();
  }

  /** This incarnation's handler for the type, built by its factory on first use (no allocation after). */
  private Object handler(HandlerRegistry.Registration registration) {
    String type = registration.type().name();
    Object handler = handlers.get(type);
    if (handler == null) {
      handler = registration.factory().get();
      if (handler == null) throw new IllegalStateException("the handler factory of task type '" + type + "' returned null");
      handlers.put(type, handler);
    }
    return handler;
  }

  private Behavior<Command> succeed(Run run, TaskType<?, ?> type, Object result, long start) {
    if (result != null && !type.outputType().isInstance(result)) {
      return answer(run, FailureReport.permanent(new IllegalStateException("the handler of task type " + type
          + " returned a " + result.getClass().getName() + ", not a " + type.outputType().getName())), start);
    }
    Task task = run.task();
    run.replyTo().tell(new WorkSupervisor.AttemptSucceeded(
        task.id(), task.attempt(), result, System.nanoTime() - start, context.getSelf()));
    return Behaviors.same();
  }

  private Behavior<Command> fail(Run run, Throwable failure, long start) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof VirtualMachineError vmError) throw vmError;
    FailureReport report = FailureReport.of(cause, nonRetryable);
    answer(run, report, start);
    if (report.fatal()) throw new RouteeCrashedException(name, cause);
    return Behaviors.same();
  }

  private Behavior<Command> answer(Run run, FailureReport report, long start) {
    Task task = run.task();
    run.replyTo().tell(new WorkSupervisor.AttemptFailed(
        task.id(), task.attempt(), report, System.nanoTime() - start, context.getSelf()));
    return Behaviors.same();
  }
}
