package io.pel.actors.internal;

import io.pel.cluster.internal.ContainedValue;
import io.pel.cluster.internal.KryoCodec;
import io.pel.cluster.internal.KryoSerializer;
import java.io.NotSerializableException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * Values written ahead for a message that will be serialized, so that the sender knows their size and can
 * cut a message of many before it outgrows {@code pel.serialization.max-message-size}: a thousand answers
 * of 40 KiB each in one message would be refused, and every value past the limit would fail in place of
 * the one that was too large. A message is serialized when it goes to another node, or to any actor while
 * {@code pekko.actor.serialize-messages} is on; only then is a value replaced by its {@link
 * ContainedValue.Written} bytes, which the receiver reads back as the value.
 */
final class WireValues {

  /** What a value adds to a message besides its own bytes, about: its id, attempt and framing. */
  static final int OVERHEAD_BYTES = 32;
  /** The most a boxed primitive takes, with its class id: a {@code long} or {@code double} and a few bytes. */
  static final int BOXED_BYTES = 12;
  /** The most a string takes besides its characters, each at most 3 bytes in Kryo's UTF-8: its class id and length. */
  static final int STRING_HEAD_BYTES = 8;

  private final KryoCodec codec;
  private final boolean serializeAll;
  private final long budget;

  WireValues(KryoCodec codec, boolean serializeAll) {
    this.codec = codec;
    this.serializeAll = serializeAll;
    this.budget = codec.maxMessageSize() / 2;
  }

  static WireValues of(ActorSystem<?> system) {
    org.apache.pekko.actor.ActorSystem classic = Adapter.toClassic(system);
    return new WireValues(KryoSerializer.codecOf(classic), classic.settings().SerializeAllMessages());
  }

  /** The most a message of many values should weigh: half the largest message, leaving room for the rest of it. */
  long budget() {
    return budget;
  }

  /** Whether a message to {@code to} will be serialized. */
  boolean serialized(ActorRef<?> to) {
    return serializeAll || !to.path().address().hasLocalScope();
  }

  /**
   * {@code value} written ahead, or {@code value} itself when there is nothing to gain (it is {@code null},
   * or a boxed primitive or a string, whose size is bounded without writing it, and which a message of
   * many writes bare) or it cannot be written: then the message's serializer fails it alone with the
   * reason, as for any value.
   */
  Object ahead(Object value) {
    if (value == null || value instanceof ContainedValue.Unreadable || boundBytes(value) >= 0) return value;
    try {
      return new ContainedValue.Written(codec.valueToBinary(value));
    } catch (NotSerializableException e) {
      return value;
    }
  }

  /** What {@code value} (as {@link #ahead} returned it) weighs in a message. */
  static long weight(Object value) {
    if (value instanceof ContainedValue.Written written) return OVERHEAD_BYTES + written.size();
    return OVERHEAD_BYTES + Math.max(0, boundBytes(value));
  }

  /** The most {@code value} can take written, when that is known without writing it; else -1. */
  private static long boundBytes(Object value) {
    if (value instanceof String text) return STRING_HEAD_BYTES + 3L * text.length();
    boolean boxed = value instanceof Long || value instanceof Integer || value instanceof Double || value instanceof Boolean
        || value instanceof Float || value instanceof Short || value instanceof Byte || value instanceof Character;
    return boxed ? BOXED_BYTES : -1;
  }
}
