package io.pel.cluster.internal;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;

/**
 * A Kryo {@link Input} over one received message that refuses length headers larger than the bytes left.
 *
 * <p>Kryo allocates an array as soon as it has read a length, before it reads the elements. A hostile or
 * corrupt header could claim two billion elements and exhaust the heap long before the buffer underflows.
 * Every element takes at least one byte on the wire, so a count larger than the bytes remaining can only
 * be garbage and is refused here, before any allocation. PEL's own collection serializers call
 * {@link #requireElements} for the same reason.
 *
 * <p>Not thread-safe: one instance belongs to one pooled codec context at a time.
 */
final class BoundedInput extends Input {

  private static final byte[] EMPTY = new byte[0];
  /** Kryo grows its char buffer to the longest string read; a pooled instance should not keep a huge one. */
  private static final int RETAINED_CHARS = 1024;

  BoundedInput() {
    super(EMPTY);
  }

  /** Forgets the message just read so the pooled instance does not keep it reachable. */
  void release() {
    setBuffer(EMPTY);
    if (chars.length > RETAINED_CHARS) chars = new char[32];
  }

  /**
   * Fails unless {@code count} elements could still follow in {@code input}, at one byte or more each.
   *
   * @throws KryoException naming the claimed count and the bytes left
   */
  static void requireElements(Input input, long count) {
    int remaining = input.limit() - input.position();
    if (count < 0 || count > remaining) {
      throw new KryoException(
          "a length header claims " + count + " elements but only " + remaining + " bytes are left");
    }
  }

  @Override
  public String readString() {
    checkStringLength();
    return super.readString();
  }

  @Override
  public StringBuilder readStringBuilder() {
    checkStringLength();
    return super.readStringBuilder();
  }

  /** An ASCII string needs no length; null, empty and UTF-8 strings start with a flagged char count + 1. */
  private void checkStringLength() {
    if (position >= limit || (buffer[position] & 0x80) == 0) return;
    int start = position;
    int charCountPlusOne = readVarIntFlag(true);
    position = start;
    if (charCountPlusOne > 1) requireElements(this, charCountPlusOne - 1);
    else if (charCountPlusOne < 0) throw new KryoException("a string length header is negative");
  }

  @Override
  public byte[] readBytes(int length) {
    requireElements(this, length);
    return super.readBytes(length);
  }

  @Override
  public int[] readInts(int length) {
    requireElements(this, length);
    return super.readInts(length);
  }

  @Override
  public int[] readInts(int length, boolean optimizePositive) {
    requireElements(this, length);
    return super.readInts(length, optimizePositive);
  }

  @Override
  public long[] readLongs(int length) {
    requireElements(this, length);
    return super.readLongs(length);
  }

  @Override
  public long[] readLongs(int length, boolean optimizePositive) {
    requireElements(this, length);
    return super.readLongs(length, optimizePositive);
  }

  @Override
  public float[] readFloats(int length) {
    requireElements(this, length);
    return super.readFloats(length);
  }

  @Override
  public double[] readDoubles(int length) {
    requireElements(this, length);
    return super.readDoubles(length);
  }

  @Override
  public short[] readShorts(int length) {
    requireElements(this, length);
    return super.readShorts(length);
  }

  @Override
  public char[] readChars(int length) {
    requireElements(this, length);
    return super.readChars(length);
  }

  @Override
  public boolean[] readBooleans(int length) {
    requireElements(this, length);
    return super.readBooleans(length);
  }
}
