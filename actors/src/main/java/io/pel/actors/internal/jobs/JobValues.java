package io.pel.actors.internal.jobs;

import io.pel.cluster.internal.KryoCodec;
import io.pel.cluster.internal.KryoSerializer;
import java.io.NotSerializableException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * Jobs' inputs and results as bytes, through the node's Kryo codec: a job's event carries them already
 * written, so a value that cannot be stored is found when it is submitted or produced, never when its
 * event is persisted. An empty array stands for {@code null} (a {@code Void} result).
 */
public final class JobValues {

  private final KryoCodec codec;

  private JobValues(KryoCodec codec) {
    this.codec = codec;
  }

  /** The values codec of {@code system}'s PEL serializer. */
  public static JobValues of(ActorSystem<?> system) {
    return new JobValues(KryoSerializer.codecOf(Adapter.toClassic(system)));
  }

  /** @throws NotSerializableException naming the class that cannot be written */
  public byte[] write(Object value) throws NotSerializableException {
    return value == null ? new byte[0] : codec.valueToBinary(value);
  }

  /** @throws NotSerializableException if the bytes are not one value this node can read */
  public Object read(byte[] bytes) throws NotSerializableException {
    return bytes.length == 0 ? null : codec.valueFromBinary(bytes);
  }

  /**
   * Bytes of outcomes one message (a checkpoint, a page of results) may carry: half the largest message,
   * leaving room for the rest of it.
   */
  public long budget() {
    return codec.maxMessageSize() / 2;
  }

  /** About what {@code outcome} takes in a message. */
  static long sizeOf(Outcome outcome) {
    long size = 16;
    if (outcome.result() != null) size += outcome.result().length;
    if (outcome.failureClass() != null) size += outcome.failureClass().length() * 3L;
    if (outcome.failureMessage() != null) size += outcome.failureMessage().length() * 3L;
    return size;
  }

  /** The largest message the codec writes or reads. */
  public int maxMessageSize() {
    return codec.maxMessageSize();
  }
}
