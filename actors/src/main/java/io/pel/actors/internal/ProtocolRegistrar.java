package io.pel.actors.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.pel.actors.RemoteTaskException;
import io.pel.cluster.KryoRegistrar;
import io.pel.cluster.internal.ContainedValue;

/**
 * Registers the actors module's wire protocol with PEL's Kryo serializer under fixed ids 200&ndash;299.
 * Named in this module's {@code reference.conf}; ids never change meaning once released.
 *
 * <pre>
 * 200 TaskId   201 Task (custom)   202 Worker.Run   203 WorkSupervisor.Answered (custom)
 * 204 WorkSupervisor.AttemptsAnswered   205 FailureReport (custom: exceptions never cross as objects)
 * 206 Batch   207 Batch.Result   208 Worker.RunAll   209 Worker.Fence   210 WorkSupervisor.Retire
 * </pre>
 *
 * <p>A task's payload and an attempt's result are written as {@link ContainedValue}s: one that a node
 * cannot write or read (a class it has not registered) fails that task alone, with an error naming the
 * problem, and every other task in the same message still runs.
 */
public final class ProtocolRegistrar implements KryoRegistrar {

  /** At most this many stack frames of a remote failure are sent. */
  static final int MAX_FRAMES = 64;

  @Override
  public void registerClasses(Registrations registrations) {
    registrations.register(TaskId.class, 200);
    registrations.register(Task.class, 201, new TaskSerializer());
    registrations.register(Worker.Run.class, 202);
    registrations.register(WorkSupervisor.Answered.class, 203, new AnsweredSerializer());
    registrations.register(WorkSupervisor.AttemptsAnswered.class, 204);
    registrations.register(FailureReport.class, 205, new FailureReportSerializer());
    registrations.register(Batch.class, 206);
    registrations.register(Batch.Result.class, 207);
    registrations.register(Worker.RunAll.class, 208);
    registrations.register(Worker.Fence.class, 209);
    registrations.register(WorkSupervisor.Retire.class, 210);
  }

  /** A task with its payload contained. */
  static final class TaskSerializer extends Serializer<Task> {

    TaskSerializer() {
      setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, Task task) {
      output.writeLong(task.id().node());
      output.writeVarLong(task.id().seq(), true);
      output.writeString(task.type());
      output.writeString(task.shardKey());
      output.writeVarInt(task.attempt(), true);
      ContainedValue.write(kryo, output, task.payload());
    }

    @Override
    public Task read(Kryo kryo, Input input, Class<? extends Task> type) {
      TaskId id = new TaskId(input.readLong(), input.readVarLong(true));
      String name = input.readString();
      String shardKey = input.readString();
      int attempt = input.readVarInt(true);
      if (name == null) throw new IllegalArgumentException("a task without a type name");
      return new Task(id, name, shardKey, ContainedValue.read(kryo, input), attempt);
    }
  }

  /** An attempt's answer with its result contained. */
  static final class AnsweredSerializer extends Serializer<WorkSupervisor.Answered> {

    AnsweredSerializer() {
      setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, WorkSupervisor.Answered answer) {
      output.writeLong(answer.id().node());
      output.writeVarLong(answer.id().seq(), true);
      output.writeVarInt(answer.attempt(), true);
      output.writeVarLong(answer.serviceNanos(), true);
      kryo.writeObjectOrNull(output, answer.failure(), FailureReport.class);
      ContainedValue.write(kryo, output, answer.result());
    }

    @Override
    public WorkSupervisor.Answered read(Kryo kryo, Input input, Class<? extends WorkSupervisor.Answered> type) {
      TaskId id = new TaskId(input.readLong(), input.readVarLong(true));
      int attempt = input.readVarInt(true);
      long serviceNanos = input.readVarLong(true);
      FailureReport failure = kryo.readObjectOrNull(input, FailureReport.class);
      return new WorkSupervisor.Answered(id, attempt, ContainedValue.read(kryo, input), failure, serviceNanos);
    }
  }

  /**
   * Writes a failure as its class name, message and stack trace, and reads it back as a {@link
   * RemoteTaskException}: a peer can describe any exception but can never make this node instantiate one.
   */
  static final class FailureReportSerializer extends Serializer<FailureReport> {

    FailureReportSerializer() {
      setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, FailureReport report) {
      Throwable cause = report.cause();
      String className = cause instanceof RemoteTaskException remote ? remote.originalClass() : cause.getClass().getName();
      String message = cause instanceof RemoteTaskException remote ? remoteMessage(remote) : cause.getMessage();
      output.writeBoolean(report.retryable());
      output.writeBoolean(report.fatal());
      output.writeString(className);
      output.writeString(message);
      StackTraceElement[] frames = cause.getStackTrace();
      int n = Math.min(frames.length, MAX_FRAMES);
      output.writeVarInt(n, true);
      for (int i = 0; i < n; i++) {
        output.writeString(frames[i].getClassName());
        output.writeString(frames[i].getMethodName());
        output.writeString(frames[i].getFileName());
        output.writeVarInt(frames[i].getLineNumber() + 2, true);
      }
    }

    @Override
    public FailureReport read(Kryo kryo, Input input, Class<? extends FailureReport> type) {
      boolean retryable = input.readBoolean();
      boolean fatal = input.readBoolean();
      String className = input.readString();
      String message = input.readString();
      int n = input.readVarInt(true);
      if (n > MAX_FRAMES) throw new IllegalArgumentException("a failure report with " + n + " stack frames (at most " + MAX_FRAMES + ")");
      StackTraceElement[] frames = new StackTraceElement[n];
      for (int i = 0; i < n; i++) {
        frames[i] = new StackTraceElement(input.readString(), input.readString(), input.readString(), input.readVarInt(true) - 2);
      }
      if (className == null) throw new IllegalArgumentException("a failure report without an exception class name");
      return new FailureReport(new RemoteTaskException(className, message, frames), retryable, fatal);
    }

    private static String remoteMessage(RemoteTaskException remote) {
      String full = remote.getMessage();
      String prefix = remote.originalClass() + ": ";
      return full.startsWith(prefix) ? full.substring(prefix.length()) : null;
    }
  }
}
