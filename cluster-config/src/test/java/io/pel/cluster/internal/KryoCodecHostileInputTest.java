package io.pel.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.esotericsoftware.kryo.io.Output;
import io.pel.cluster.internal.TestMessages.Blob;
import io.pel.cluster.internal.TestMessages.Holder;
import io.pel.cluster.internal.TestMessages.Line;
import io.pel.cluster.internal.TestMessages.Money;
import io.pel.cluster.internal.TestMessages.NeverBuilt;
import io.pel.cluster.internal.TestMessages.Order;
import io.pel.cluster.internal.TestMessages.Point;
import io.pel.cluster.internal.TestMessages.Priority;
import io.pel.cluster.internal.TestMessages.Receipt;
import io.pel.cluster.internal.TestMessages.Text;
import java.io.NotSerializableException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Bytes and manifests a broken or hostile peer could send: each must be refused cleanly, by name. */
class KryoCodecHostileInputTest {

  private static final List<Class<?>> TARGETS = List.of(
      Order.class, Line.class, Point.class, Holder.class, Blob.class, Text.class, Receipt.class, Priority.class);

  private final KryoCodec codec = TestMessages.codec();

  private static Order sample() {
    return new Order(UUID.fromString("1b4e28ba-2fa1-11d2-883f-0016d3cca427"), Instant.ofEpochSecond(1_700_000_000, 5),
        Duration.ofSeconds(3), Priority.LOW, "note", List.of(new Line(new Point(1, 2), new Point(3, 4), "l")),
        Map.of("a", 1L), new ArrayList<>(List.of(Set.of(1), "x", new byte[] {1, 2}, Priority.HIGH)), BigDecimal.TEN);
  }

  /** Decodes {@code bytes}; anything but a NotSerializableException naming the class, or a value of it, fails. */
  private void decodeOrRefuse(byte[] bytes, Class<?> type) {
    try {
      Object value = codec.fromBinary(bytes, type.getName());
      assertTrue(type.isInstance(value), "decoded a " + value.getClass() + " for " + type);
    } catch (NotSerializableException e) {
      assertTrue(e.getMessage().contains(type.getName()), e.getMessage());
    } catch (Throwable t) {
      fail("decoding " + bytes.length + " bytes as " + type.getName() + " threw " + t + ": " + Arrays.toString(bytes), t);
    }
  }

  private NotSerializableException refused(byte[] bytes, Class<?> type) {
    var e = assertThrows(NotSerializableException.class, () -> codec.fromBinary(bytes, type.getName()));
    assertTrue(e.getMessage().contains(type.getName()), e.getMessage());
    return e;
  }

  private static byte[] bytes(Consumer<Output> writer) {
    Output output = new Output(64, -1);
    writer.accept(output);
    return output.toBytes();
  }

  @Test
  void randomBytesAreRefusedOrDecodeToTheNamedClass() {
    Random random = new Random(20240611L);
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = new byte[random.nextInt(96)];
      random.nextBytes(bytes);
      decodeOrRefuse(bytes, TARGETS.get(i % TARGETS.size()));
    }
  }

  @Test
  void validMessagesWithCorruptedBytesAreRefusedOrDecode() throws Exception {
    byte[] valid = codec.toBinary(sample());
    Random random = new Random(7L);
    for (int i = 0; i < 20_000; i++) {
      byte[] corrupt = valid.clone();
      for (int flips = 1 + random.nextInt(3); flips > 0; flips--) corrupt[random.nextInt(corrupt.length)] = (byte) random.nextInt();
      decodeOrRefuse(corrupt, Order.class);
    }
    assertEquals(0, NeverBuilt.CONSTRUCTED.get());
  }

  @Test
  void everyTruncationOfAValidMessageIsRefused() throws Exception {
    byte[] valid = codec.toBinary(sample());
    for (int length = 0; length < valid.length; length++) {
      var e = refused(Arrays.copyOf(valid, length), Order.class);
      assertTrue(e.getMessage().contains("from " + length + " bytes"), e.getMessage());
    }
  }

  @Test
  void trailingBytesAfterAValidMessageAreRefused() throws Exception {
    byte[] valid = codec.toBinary(new Point(1, 2));
    var e = refused(Arrays.copyOf(valid, valid.length + 1), Point.class);
    assertTrue(e.getMessage().contains("1 bytes left over"), e.getMessage());
  }

  @Test
  void codecDecodesCorrectlyAfterRefusingMessagesHalfWay() throws Exception {
    Order order = sample();
    byte[] valid = codec.toBinary(order);
    List<Object> cyclic = new ArrayList<>();
    cyclic.add(cyclic);
    for (int i = 0; i < 50; i++) {
      refused(Arrays.copyOf(valid, valid.length / 2), Order.class);
      assertThrows(NotSerializableException.class, () -> codec.toBinary(new Holder(cyclic)));
      Order back = (Order) codec.fromBinary(codec.toBinary(order), Order.class.getName());
      assertEquals(order.lines(), back.lines());
      assertEquals(order.id(), back.id());
    }
  }

  @Test
  void emptyBytesAreRefused() {
    for (Class<?> type : TARGETS) refused(new byte[0], type);
  }

  @Test
  void manifestNamingAnUnregisteredJdkClassIsRefusedByName() {
    var e = assertThrows(NotSerializableException.class, () -> codec.fromBinary(new byte[] {1, 2, 3}, "java.lang.ProcessBuilder"));
    assertTrue(e.getMessage().contains("'java.lang.ProcessBuilder' is not registered"), e.getMessage());
    var none = assertThrows(NotSerializableException.class, () -> codec.fromBinary(new byte[0], null));
    assertTrue(none.getMessage().contains("'null' is not registered"), none.getMessage());
  }

  @Test
  void manifestNamingAnUnregisteredClassNeverInstantiatesIt() {
    var e = assertThrows(NotSerializableException.class, () -> codec.fromBinary(new byte[0], NeverBuilt.class.getName()));
    assertTrue(e.getMessage().contains(NeverBuilt.class.getName()), e.getMessage());
    assertEquals(0, NeverBuilt.CONSTRUCTED.get());
  }

  @Test
  void classNameInsideTheBytesIsRefusedWithoutLoadingIt() {
    // Kryo's class id 1 (NAME + 2) announces a class name instead of a registration id.
    byte[] named = bytes(o -> {
      o.writeVarInt(1, true);
      o.writeVarInt(0, true);
      o.writeString(NeverBuilt.class.getName());
    });
    var e = refused(named, Holder.class);
    assertTrue(e.getMessage().contains("PEL accepts ids only"), e.getMessage());
    assertEquals(0, NeverBuilt.CONSTRUCTED.get());
  }

  @Test
  void unknownRegistrationIdInsideAValidMessageIsRefused() {
    byte[] unknownId = bytes(o -> o.writeVarInt(4321 + 2, true)); // Kryo writes class ids + 2
    var e = refused(unknownId, Holder.class);
    assertTrue(e.getMessage().contains("unregistered class ID: 4321"), e.getMessage());
  }

  @Test
  void messageFromAPeerWithMoreRegistrationsIsRefusedAsUnknownId() throws Exception {
    // A peer whose registrar knows Money: this node (no registrar) must refuse id 1001, not guess.
    byte[] fromPeer = codec.toBinary(new Holder(new Money(5, "EUR")));
    KryoCodec older = KryoCodec.fromConfig(TestMessages.config("pel.serialization.registrars = []"));
    var e = assertThrows(NotSerializableException.class, () -> older.fromBinary(fromPeer, Holder.class.getName()));
    assertTrue(e.getMessage().contains("unregistered class ID: 1001"), e.getMessage());
  }

  @Test
  void hugeLengthHeadersAreRefusedBeforeAllocating() {
    int huge = 2_000_000_000;
    var array = refused(bytes(o -> o.writeVarInt(huge, true)), Blob.class);
    assertTrue(array.getMessage().contains("claims"), array.getMessage());
    var string = refused(bytes(o -> o.writeVarIntFlag(true, huge, true)), Text.class);
    assertTrue(string.getMessage().contains("claims"), string.getMessage());
    for (int containerId : new int[] {114, 115, 120, 122, 125, 131, 135}) {
      byte[] container = bytes(o -> {
        o.writeVarInt(containerId + 2, true);
        o.writeVarInt(huge, true);
      });
      var e = refused(container, Holder.class);
      assertTrue(e.getMessage().contains("claims"), containerId + ": " + e.getMessage());
    }
  }

  @Test
  void deeplyNestedMessageIsRefusedWithoutOverflowingTheStack() {
    byte[] nested = bytes(o -> {
      for (int depth = 0; depth < 100_000; depth++) {
        o.writeVarInt(120 + 2, true); // ArrayList
        o.writeVarInt(1, true);
      }
    });
    var e = refused(nested, Holder.class);
    assertTrue(e.getMessage().contains("depth"), e.getMessage());
  }
}
