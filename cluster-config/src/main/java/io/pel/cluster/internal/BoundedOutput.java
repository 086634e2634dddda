package io.pel.cluster.internal;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Output;

/**
 * A Kryo {@link Output} that stops at {@code pel.serialization.max-message-size} with a
 * {@link MessageTooLargeException}, so an oversized message is refused before it is fully buffered.
 *
 * <p>Not thread-safe: one instance belongs to one pooled codec context at a time.
 */
final class BoundedOutput extends Output {

  /** Starting buffer: most PEL messages are a few hundred bytes. */
  private static final int INITIAL_SIZE = 4 * 1024;
  /** A pooled buffer that grew past this is dropped after use rather than kept for ever. */
  private static final int RETAINED_SIZE = 64 * 1024;

  private final int maxMessageSize;

  BoundedOutput(int maxMessageSize) {
    super(Math.min(INITIAL_SIZE, maxMessageSize), maxMessageSize);
    this.maxMessageSize = maxMessageSize;
  }

  /** Empties the buffer for the next message, shrinking it if one large message made it grow. */
  void release() {
    if (capacity > RETAINED_SIZE) setBuffer(new byte[INITIAL_SIZE], maxMessageSize);
    else reset();
  }

  @Override
  protected boolean require(int required) {
    if ((long) position + required > maxMessageSize) {
      throw new MessageTooLargeException((long) position + required, maxMessageSize);
    }
    return super.require(required);
  }

  /** The message being written would exceed {@code max-message-size}. */
  static final class MessageTooLargeException extends KryoException {
    final long attemptedSize;
    final int maxMessageSize;

    MessageTooLargeException(long attemptedSize, int maxMessageSize) {
      super("needs at least " + attemptedSize + " bytes, more than pel.serialization.max-message-size = "
          + maxMessageSize + " bytes");
      this.attemptedSize = attemptedSize;
      this.maxMessageSize = maxMessageSize;
    }
  }
}
