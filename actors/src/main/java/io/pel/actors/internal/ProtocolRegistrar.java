package io.pel.actors.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.pel.actors.RemoteTaskException;
import io.pel.cluster.KryoRegistrar;

/**
 * Registers the actors module's wire protocol with PEL's Kryo serializer under fixed ids 200&ndash;299.
 * Named in this module's {@code reference.conf}; ids never change meaning once released.
 *
 * <pre>
 * 200 TaskId   201 Task   202 Worker.Run   203 WorkSupervisor.AttemptSucceeded
 * 204 WorkSupervisor.AttemptFailed   205 FailureReport (custom: exceptions never cross as objects)
 * 206 Batch   207 Batch.Result
 * </pre>
 */
public final class ProtocolRegistrar implements KryoRegistrar {

  /** At most this many stack frames of a remote failure are sent. */
  static final int MAX_FRAMES = 64;

  @Override
  public void registerClasses(Registrations registrations) {
    registrations.register(TaskId.class, 200);
    registrations.register(Task.class, 201);
    registrations.register(Worker.Run.class, 202);
    registrations.register(WorkSupervisor.AttemptSucceeded.class, 203);
    registrations.register(WorkSupervisor.AttemptFailed.class, 204);
    registrations.register(FailureReport.class, 205, new FailureReportSerializer());
    registrations.register(Batch.class, 206);
    registrations.register(Batch.Result.class, 207);
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
