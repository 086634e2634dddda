package io.pel.cluster.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.Objects;

/**
 * A value inside a message, written so that a failure to write or read it stays with the value: a task's
 * payload or a result that one node cannot write, or another cannot read (a class it has not registered,
 * corrupt bytes), becomes an {@link Unreadable} in place of the value, and the message around it (and
 * every other value in it) still arrives. The receiver then answers for that one value with an error
 * that names the problem instead of losing the whole message.
 *
 * <p>Format: a tag byte, then either the value's length in bytes (fixed four bytes, patched after writing)
 * and the value with its class id, or the writer's error text.
 */
public final class ContainedValue {

  private static final byte VALUE = 0;
  private static final byte WRITE_FAILED = 1;

  private ContainedValue() {}

  /**
   * Stands in for a value that could not cross the wire.
   *
   * @param reason what went wrong and on which side, for the error the receiver reports
   */
  public record Unreadable(String reason) {
    public Unreadable {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * A value already written ({@link KryoCodec#valueToBinary}, its class and itself), standing in for it in a
   * message that will certainly be serialized: the bytes are copied in as they are, and the receiver reads
   * the value. Written ahead so that the sender knows its size, and on the sender's thread rather than the
   * network's. Never deliver one to an actor without serialization: it would receive this, not the value.
   */
  public static final class Written {
    private final byte[] bytes;

    public Written(byte[] bytes) {
      this.bytes = Objects.requireNonNull(bytes, "bytes");
    }

    /** Its size in bytes. */
    public int size() {
      return bytes.length;
    }
  }

  /** Writes {@code value} (may be null); a value that cannot be written is replaced by its error. */
  public static void write(Kryo kryo, Output output, Object value) {
    int start = output.position();
    try {
      output.writeByte(VALUE);
      output.writeInt(0);
      int from = output.position();
      if (value instanceof Written written) output.writeBytes(written.bytes);
      else kryo.writeClassAndObject(output, value);
      int end = output.position();
      output.setPosition(from - Integer.BYTES);
      output.writeInt(end - from);
      output.setPosition(end);
    } catch (RuntimeException e) {
      output.setPosition(start);
      output.writeByte(WRITE_FAILED);
      String what = value instanceof Written written ? "value of " + written.size() + " bytes" : "a " + value.getClass().getName();
      output.writeString("the sender could not write " + what + ": " + reason(e));
    }
  }

  /** Reads what {@link #write} wrote: the value, or an {@link Unreadable} saying why it is missing. */
  public static Object read(Kryo kryo, Input input) {
    byte tag = input.readByte();
    if (tag == WRITE_FAILED) return new Unreadable(input.readString());
    if (tag != VALUE) throw new IllegalArgumentException("a contained value with tag " + tag);
    int length = input.readInt();
    int from = input.position();
    if (length < 0 || length > input.limit() - from) {
      throw new IllegalArgumentException("a contained value of " + length + " bytes in a message with "
          + (input.limit() - from) + " left");
    }
    int end = from + length;
    try {
      Object value = kryo.readClassAndObject(input);
      if (input.position() != end) {
        return skipTo(input, end, new Unreadable("the value's " + length + " bytes were not read exactly"));
      }
      return value;
    } catch (RuntimeException e) {
      return skipTo(input, end, new Unreadable("this node could not read it: " + reason(e)));
    }
  }

  private static Unreadable skipTo(Input input, int end, Unreadable unreadable) {
    input.setPosition(end);
    return unreadable;
  }

  /** One line: Kryo adds a serialization trace on the following lines. */
  private static String reason(RuntimeException e) {
    Throwable cause = e;
    while (cause.getMessage() == null && cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
    String message = cause.getMessage();
    if (message == null) return cause.getClass().getSimpleName();
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }
}
