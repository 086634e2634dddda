package io.pel.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/** A value that cannot cross fails alone: the bytes around it are read as usual. */
class ContainedValueTest {

  record Unlisted(int x) {}

  private static Kryo kryo() {
    Kryo kryo = new Kryo();
    kryo.setRegistrationRequired(true);
    kryo.register(ArrayList.class, 120);
    return kryo;
  }

  /** Writes "before", the value, "after": what a message with a contained value looks like. */
  private static byte[] framed(Kryo kryo, Object value) {
    Output out = new Output(64, 1 << 20);
    out.writeString("before");
    ContainedValue.write(kryo, out, value);
    out.writeString("after");
    return out.toBytes();
  }

  private static Object readFramed(Kryo kryo, byte[] bytes) {
    Input in = new Input(bytes);
    assertEquals("before", in.readString());
    Object value = ContainedValue.read(kryo, in);
    assertEquals("after", in.readString());
    assertEquals(bytes.length, in.position());
    return value;
  }

  @Test
  void aValueAndNullRoundTrip() {
    Kryo kryo = kryo();
    assertEquals(42L, readFramed(kryo, framed(kryo, 42L)));
    assertEquals(null, readFramed(kryo, framed(kryo, null)));
    ArrayList<Object> list = new ArrayList<>(java.util.List.of("a", 1, 2.5));
    assertEquals(list, readFramed(kryo, framed(kryo, list)));
  }

  @Test
  void aValueTheWriterCannotWriteArrivesAsItsError() {
    Kryo kryo = kryo();
    var unreadable = assertInstanceOf(ContainedValue.Unreadable.class, readFramed(kryo, framed(kryo, new Unlisted(1))));
    assertTrue(unreadable.reason().startsWith("the sender could not write a " + Unlisted.class.getName()), unreadable.reason());
  }

  @Test
  void aClassTheReaderDoesNotKnowIsSkippedAndNamed() {
    Kryo writer = kryo();
    writer.register(Unlisted.class, 5000);
    var unreadable = assertInstanceOf(ContainedValue.Unreadable.class, readFramed(kryo(), framed(writer, new Unlisted(7))));
    assertTrue(unreadable.reason().contains("unregistered class ID: 5000"), unreadable.reason());
  }

  @Test
  void aLengthBeyondTheMessageOrAnUnknownTagFailsTheWholeMessage() {
    Kryo kryo = kryo();
    byte[] bytes = framed(kryo, 42L);
    Output prefix = new Output(16);
    prefix.writeString("before");
    int lengthAt = prefix.position() + 1; // after the string and the tag byte
    bytes[lengthAt] = 0x7f;
    IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class, () -> readFramed(kryo, bytes));
    assertTrue(tooLong.getMessage().contains("bytes in a message with"), tooLong.getMessage());

    byte[] tagged = framed(kryo, 42L);
    tagged[lengthAt - 1] = 9;
    assertThrows(IllegalArgumentException.class, () -> readFramed(kryo, tagged));
  }

  @Test
  void bytesThatDoNotFillTheStatedLengthExactlyAreUnreadable() {
    Kryo kryo = kryo();
    Output out = new Output(64, 1 << 20);
    out.writeByte(0);
    out.writeInt(3); // says three bytes, holds a one-byte null marker and two bytes of padding
    out.writeByte(0);
    out.writeShort(0);
    Input in = new Input(out.toBytes());
    var unreadable = assertInstanceOf(ContainedValue.Unreadable.class, ContainedValue.read(kryo, in));
    assertTrue(unreadable.reason().contains("not read exactly"), unreadable.reason());
    assertEquals(8, in.position());
  }

  @Test
  void aValueWrittenAheadCrossesAsTheValueItselfAndAnOversizedOneFailsAloneWithItsSize() {
    Kryo kryo = kryo();
    ArrayList<Object> list = new ArrayList<>(java.util.List.of("a", 1, 2.5));
    Output ahead = new Output(64, 1 << 20);
    kryo.writeClassAndObject(ahead, list);
    ContainedValue.Written written = new ContainedValue.Written(ahead.toBytes());
    assertEquals(list, readFramed(kryo, framed(kryo, written)));
    assertArrayEquals(framed(kryo, list), framed(kryo, written), "the same bytes as the value written in place");

    Output small = new Output(64, 200);
    small.writeString("before");
    ContainedValue.write(kryo, small, new ContainedValue.Written(new byte[500]));
    small.writeString("after");
    Object value = readFramed(kryo, small.toBytes());
    ContainedValue.Unreadable unreadable = assertInstanceOf(ContainedValue.Unreadable.class, value);
    assertTrue(unreadable.reason().contains("value of 500 bytes"), unreadable.reason());
  }
}
