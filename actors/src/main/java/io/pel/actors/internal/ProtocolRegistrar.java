package io.pel.actors.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.pel.actors.RemoteTaskException;
import io.pel.cluster.KryoRegistrar;
import io.pel.cluster.internal.ContainedValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

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
 *
 * <p>The two messages that carry many tasks, {@link Worker.RunAll} and {@link WorkSupervisor.AttemptsAnswered},
 * are written by column: what their tasks share (the submitting node, the type, the absence of shard keys
 * or of failures) once per message, and each task's sequence number as the difference from the one before.
 * When every value of the message (payload or result) is a {@code Long}, an {@code Integer}, a {@code Double}
 * or a {@code String}, all of one of those, their kind is written once and each value bare: every node reads
 * those, so they need no container. A thousand tasks of one type then cost their values and a few bytes
 * each, not their type name and a value's class and length a thousand times.
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
    registrations.register(WorkSupervisor.AttemptsAnswered.class, 204, new AttemptsAnsweredSerializer());
    registrations.register(FailureReport.class, 205, new FailureReportSerializer());
    registrations.register(Batch.class, 206);
    registrations.register(Batch.Result.class, 207);
    registrations.register(Worker.RunAll.class, 208, new RunAllSerializer());
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

  /** Tasks in one message at most: far above any batch a supervisor sends, far below what would exhaust memory. */
  static final int MAX_TASKS_PER_MESSAGE = 1 << 20;

  /** The count of a message's tasks, refused when it cannot be right. */
  private static int count(Input input, String what) {
    int n = input.readVarInt(true);
    // Every task takes at least one byte; a count beyond the bytes left is a corrupt or hostile message.
    if (n < 0 || n > MAX_TASKS_PER_MESSAGE || n > input.limit() - input.position()) {
      throw new IllegalArgumentException("a " + what + " of " + n + " tasks in a message with " + (input.limit() - input.position())
          + " bytes left (at most " + MAX_TASKS_PER_MESSAGE + " tasks)");
    }
    return n;
  }

  /** A many-task message's head: its actor reference with its class, then its count; whether any task follows. */
  private static boolean writeHead(Kryo kryo, Output output, ActorRef<?> ref, int count) {
    kryo.writeClassAndObject(output, ref);
    output.writeVarInt(count, true);
    return count > 0;
  }

  /** An actor reference (or null) written with its class; anything else is refused, naming {@code what}. */
  private static ActorRef<?> readRef(Kryo kryo, Input input, String what) {
    Object ref = kryo.readClassAndObject(input);
    if (ref != null && !(ref instanceof ActorRef<?>)) {
      throw new IllegalArgumentException(what + " is a " + ref.getClass().getName() + ", not an actor reference");
    }
    return (ActorRef<?>) ref;
  }

  private static final int SHARED_NODE = 1;
  private static final int SHARED_TYPE = 2;
  private static final int NO_SHARD_KEYS = 4;
  /** An {@link WorkSupervisor.AttemptsAnswered}'s flag, where a RunAll has {@link #SHARED_TYPE}. */
  private static final int NO_FAILURES = 2;

  /** The kind of a message's values, in bits 4&ndash;6 of its column flags: each contained, or all bare of one plain class. */
  private static final int CONTAINED = 0;
  private static final int LONGS = 1;
  private static final int INTS = 2;
  private static final int DOUBLES = 3;
  private static final int STRINGS = 4;
  private static final int KIND_SHIFT = 4;
  private static final int KIND_BITS = 7 << KIND_SHIFT;

  /** The bare kind of {@code value}, or {@link #CONTAINED}. */
  private static int kindOf(Object value) {
    if (value instanceof Long) return LONGS;
    if (value instanceof Integer) return INTS;
    if (value instanceof Double) return DOUBLES;
    if (value instanceof String) return STRINGS;
    return CONTAINED;
  }

  /** The kind of values {@code kind} and {@code value} share: {@code kind} while {@code value} is of it, else contained. */
  private static int kindWith(int kind, Object value) {
    return kind == CONTAINED || kindOf(value) != kind ? CONTAINED : kind;
  }

  private static void writeValue(Kryo kryo, Output output, int kind, Object value) {
    switch (kind) {
      case LONGS -> output.writeVarLong((Long) value, false);
      case INTS -> output.writeVarInt((Integer) value, false);
      case DOUBLES -> output.writeDouble((Double) value);
      case STRINGS -> output.writeString((String) value);
      default -> ContainedValue.write(kryo, output, value);
    }
  }

  private static Object readValue(Kryo kryo, Input input, int kind) {
    return switch (kind) {
      case LONGS -> input.readVarLong(false);
      case INTS -> input.readVarInt(false);
      case DOUBLES -> input.readDouble();
      case STRINGS -> {
        String value = input.readString();
        if (value == null) throw new IllegalArgumentException("a null in a message's column of strings");
        yield value;
      }
      default -> ContainedValue.read(kryo, input);
    };
  }

  /** The value kind in {@code flags}, once the flags are checked against {@code known}, naming {@code what} if wrong. */
  private static int kindIn(int flags, int known, String what) {
    int kind = (flags & KIND_BITS) >>> KIND_SHIFT;
    if ((flags & ~(known | KIND_BITS)) != 0 || kind > STRINGS) {
      throw new IllegalArgumentException("a " + what + " with unknown column flags " + Integer.toBinaryString(flags & 0xff));
    }
    return kind;
  }

  /** {@link Worker.RunAll} by column: its tasks' node and type once when they share them. */
  static final class RunAllSerializer extends Serializer<Worker.RunAll> {

    RunAllSerializer() {
      setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, Worker.RunAll all) {
      List<Task> tasks = all.tasks();
      if (!writeHead(kryo, output, all.replyTo(), tasks.size())) return;
      Task first = tasks.get(0);
      int shared = SHARED_NODE | SHARED_TYPE | NO_SHARD_KEYS;
      int kind = kindOf(first.payload());
      for (Task task : tasks) {
        if (task.id().node() != first.id().node()) shared &= ~SHARED_NODE;
        if (!task.type().equals(first.type())) shared &= ~SHARED_TYPE;
        if (task.shardKey() != null) shared &= ~NO_SHARD_KEYS;
        kind = kindWith(kind, task.payload());
      }
      output.writeByte(shared | kind << KIND_SHIFT);
      if ((shared & SHARED_NODE) != 0) output.writeLong(first.id().node());
      if ((shared & SHARED_TYPE) != 0) output.writeString(first.type());
      long previous = 0;
      for (Task task : tasks) {
        if ((shared & SHARED_NODE) == 0) output.writeLong(task.id().node());
        output.writeVarLong(task.id().seq() - previous, false);
        previous = task.id().seq();
        if ((shared & SHARED_TYPE) == 0) output.writeString(task.type());
        if ((shared & NO_SHARD_KEYS) == 0) output.writeString(task.shardKey());
        output.writeVarInt(task.attempt(), true);
        writeValue(kryo, output, kind, task.payload());
      }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Worker.RunAll read(Kryo kryo, Input input, Class<? extends Worker.RunAll> type) {
      ActorRef<?> replyTo = readRef(kryo, input, "a RunAll's reply-to");
      int n = count(input, "RunAll");
      List<Task> tasks = new ArrayList<>(n);
      if (n > 0) {
        int shared = input.readByte();
        int kind = kindIn(shared, SHARED_NODE | SHARED_TYPE | NO_SHARD_KEYS, "RunAll");
        long node = (shared & SHARED_NODE) != 0 ? input.readLong() : 0;
        String name = (shared & SHARED_TYPE) != 0 ? input.readString() : null;
        long seq = 0;
        for (int i = 0; i < n; i++) {
          long taskNode = (shared & SHARED_NODE) != 0 ? node : input.readLong();
          seq += input.readVarLong(false);
          String taskType = (shared & SHARED_TYPE) != 0 ? name : input.readString();
          String shardKey = (shared & NO_SHARD_KEYS) != 0 ? null : input.readString();
          int attempt = input.readVarInt(true);
          if (taskType == null) throw new IllegalArgumentException("a task without a type name");
          tasks.add(new Task(new TaskId(taskNode, seq), taskType, shardKey, readValue(kryo, input, kind), attempt));
        }
      }
      return new Worker.RunAll(Collections.unmodifiableList(tasks), (ActorRef<WorkSupervisor.Command>) replyTo);
    }
  }

  /** {@link WorkSupervisor.AttemptsAnswered} by column: its answers' node once when they share it, no failures if none failed. */
  static final class AttemptsAnsweredSerializer extends Serializer<WorkSupervisor.AttemptsAnswered> {

    AttemptsAnsweredSerializer() {
      setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, WorkSupervisor.AttemptsAnswered answered) {
      List<WorkSupervisor.Answered> answers = answered.answers();
      if (!writeHead(kryo, output, answered.routee(), answers.size())) return;
      long node = answers.get(0).id().node();
      int shared = SHARED_NODE | NO_FAILURES;
      int kind = kindOf(answers.get(0).result());
      for (WorkSupervisor.Answered answer : answers) {
        if (answer.id().node() != node) shared &= ~SHARED_NODE;
        if (answer.failure() != null) shared &= ~NO_FAILURES;
        kind = kindWith(kind, answer.result());
      }
      output.writeByte(shared | kind << KIND_SHIFT);
      if ((shared & SHARED_NODE) != 0) output.writeLong(node);
      long previous = 0;
      for (WorkSupervisor.Answered answer : answers) {
        if ((shared & SHARED_NODE) == 0) output.writeLong(answer.id().node());
        output.writeVarLong(answer.id().seq() - previous, false);
        previous = answer.id().seq();
        output.writeVarInt(answer.attempt(), true);
        output.writeVarLong(answer.serviceNanos(), true);
        if ((shared & NO_FAILURES) == 0) kryo.writeObjectOrNull(output, answer.failure(), FailureReport.class);
        writeValue(kryo, output, kind, answer.result());
      }
    }

    @Override
    @SuppressWarnings("unchecked")
    public WorkSupervisor.AttemptsAnswered read(Kryo kryo, Input input, Class<? extends WorkSupervisor.AttemptsAnswered> type) {
      ActorRef<?> routee = readRef(kryo, input, "answers' routee");
      int n = count(input, "AttemptsAnswered");
      List<WorkSupervisor.Answered> answers = new ArrayList<>(n);
      if (n > 0) {
        int shared = input.readByte();
        int kind = kindIn(shared, SHARED_NODE | NO_FAILURES, "AttemptsAnswered");
        long node = (shared & SHARED_NODE) != 0 ? input.readLong() : 0;
        long seq = 0;
        for (int i = 0; i < n; i++) {
          long answerNode = (shared & SHARED_NODE) != 0 ? node : input.readLong();
          seq += input.readVarLong(false);
          int attempt = input.readVarInt(true);
          long serviceNanos = input.readVarLong(true);
          FailureReport failure = (shared & NO_FAILURES) != 0 ? null : kryo.readObjectOrNull(input, FailureReport.class);
          answers.add(new WorkSupervisor.Answered(new TaskId(answerNode, seq), attempt, readValue(kryo, input, kind), failure, serviceNanos));
        }
      }
      return new WorkSupervisor.AttemptsAnswered((ActorRef<Worker.Command>) routee, Collections.unmodifiableList(answers));
    }
  }
}
