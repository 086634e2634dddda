package io.pel.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.cluster.internal.TestMessages.Blob;
import io.pel.cluster.internal.TestMessages.Counter;
import io.pel.cluster.internal.TestMessages.Holder;
import io.pel.cluster.internal.TestMessages.Line;
import io.pel.cluster.internal.TestMessages.Money;
import io.pel.cluster.internal.TestMessages.NotRegistered;
import io.pel.cluster.internal.TestMessages.Operation;
import io.pel.cluster.internal.TestMessages.Order;
import io.pel.cluster.internal.TestMessages.Point;
import io.pel.cluster.internal.TestMessages.Priority;
import io.pel.cluster.internal.TestMessages.Receipt;
import java.io.NotSerializableException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KryoCodecTest {

  private final KryoCodec codec = TestMessages.codec();

  private Object roundTrip(Object message) throws NotSerializableException {
    return codec.fromBinary(codec.toBinary(message), codec.manifest(message));
  }

  private static Order order(String note, Object extra) {
    Line line = new Line(new Point(1, 2), new Point(-3, 4), null);
    return new Order(UUID.randomUUID(), Instant.parse("2025-01-02T03:04:05.123456789Z"), Duration.ofMillis(1500),
        Priority.HIGH, note, List.of(line, new Line(new Point(0, 0), new Point(9, 9), "été ✓")),
        Map.of("eur", 12L, "usd", -7L), extra, new BigDecimal("12345.6789"));
  }

  @Test
  void recordWithNestedRecordsCollectionsUuidInstantAndEnumRoundTrips() throws Exception {
    Order order = order("rush", new Point(5, 6));
    assertEquals(order, roundTrip(order));
  }

  @Test
  void aValueStoredApartFromAMessageCarriesItsClassAndRoundTrips() throws Exception {
    Order order = order("stored", 42L);
    assertEquals(order, codec.valueFromBinary(codec.valueToBinary(order)));
    assertEquals("text", codec.valueFromBinary(codec.valueToBinary("text")));
    NotSerializableException unregistered = assertThrows(NotSerializableException.class, () -> codec.valueToBinary(new NotRegistered(1)));
    assertTrue(unregistered.getMessage().contains(NotRegistered.class.getName()), unregistered.getMessage());
    byte[] bytes = codec.valueToBinary(order);
    NotSerializableException cut = assertThrows(NotSerializableException.class, () -> codec.valueFromBinary(Arrays.copyOf(bytes, bytes.length - 3)));
    assertTrue(cut.getMessage().contains("cannot read a value"), cut.getMessage());
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 2);
    assertTrue(assertThrows(NotSerializableException.class, () -> codec.valueFromBinary(longer)).getMessage().contains("left over"));
  }

  @Test
  void nullFieldsRoundTrip() throws Exception {
    Order order = new Order(null, null, null, null, null, null, null, null, null);
    assertEquals(order, roundTrip(order));
    assertEquals(new Holder(null), roundTrip(new Holder(null)));
  }

  @Test
  void byteArraysRoundTrip() throws Exception {
    byte[] data = new byte[300];
    for (int i = 0; i < data.length; i++) data[i] = (byte) i;
    assertArrayEquals(data, ((Blob) roundTrip(new Blob(data))).data());
    assertArrayEquals(new byte[0], ((Blob) roundTrip(new Blob(new byte[0]))).data());
    assertNull(((Blob) roundTrip(new Blob(null))).data());
  }

  @Test
  void enumsIncludingConstantsWithBodiesRoundTrip() throws Exception {
    assertEquals(Priority.LOW, roundTrip(Priority.LOW));
    assertEquals(new Holder(Operation.MINUS), roundTrip(new Holder(Operation.MINUS)));
    assertEquals(Operation.PLUS, roundTrip(Operation.PLUS));
  }

  @Test
  void plainClassAndRegistrarClassesRoundTrip() throws Exception {
    Counter counter = new Counter();
    counter.count = 41;
    assertEquals(counter, roundTrip(counter));
    Receipt receipt = new Receipt(new Money(1999, "EUR"));
    assertEquals(receipt, roundTrip(receipt));
    // Kryo flags the last character of an ASCII string, so look for all but the last one.
    String written = new String(codec.toBinary(receipt), java.nio.charset.StandardCharsets.ISO_8859_1);
    assertTrue(written.contains("1999 EU"), "the registrar's serializer wrote Money");
  }

  static Stream<Object> builtInValues() {
    List<Object> nullable = new ArrayList<>(Arrays.asList(1, null, "x"));
    return Stream.of(
        UUID.randomUUID(), Instant.ofEpochSecond(-5, 7), Duration.ofDays(-3).plusNanos(1),
        new BigDecimal("-1.000000000000000000001"), new BigInteger("123456789012345678901234567890"),
        Optional.empty(), Optional.of(new Point(1, 1)),
        new int[] {1, -2, Integer.MAX_VALUE}, new long[] {Long.MIN_VALUE, 0}, new double[] {Double.NaN, -0.0},
        new String[] {"a", null, ""}, new Object[] {1, "two", new Point(3, 3), null},
        nullable, new LinkedList<>(List.of(1, 2)), new HashSet<>(Set.of("a", "b")),
        new LinkedHashSet<>(List.of(3, 1, 2)), new TreeSet<>(Set.of(5, 1, 3)),
        new HashMap<>(Map.of("k", 1)), new LinkedHashMap<>(Map.of(1, "one")), new TreeMap<>(Map.of("b", 2, "a", 1)),
        List.of(), List.of(1), List.of(1, 2, 3), Stream.of("a", null).toList(),
        Set.of(), Set.of("a"), Set.of(1, 2, 3), Map.of(), Map.of("k", "v"), Map.of(1, 2, 3, 4),
        Arrays.asList(1, 2), Collections.emptyList(), Collections.emptySet(), Collections.emptyMap(),
        Collections.singletonList(1), Collections.singleton("s"), Collections.singletonMap("k", 1),
        Collections.unmodifiableList(new ArrayList<>(List.of(1))), Collections.unmodifiableList(new LinkedList<>(List.of(2))),
        Collections.unmodifiableSet(new HashSet<>(Set.of(3))), Collections.unmodifiableMap(new HashMap<>(Map.of(4, 4))),
        Collections.unmodifiableCollection(new ArrayList<>(List.of(5))),
        List.of(List.of(Map.of("deep", new ArrayList<>(List.of(Optional.of(1)))))));
  }

  @ParameterizedTest
  @MethodSource("builtInValues")
  void builtInTypesRoundTripInsideARecordAsTheSameClass(Object value) throws Exception {
    Object back = ((Holder) roundTrip(new Holder(value))).value();
    assertEquals(value.getClass(), back.getClass());
    if (value instanceof Object[] array) assertArrayEquals(array, (Object[]) back);
    else if (value instanceof int[] ints) assertArrayEquals(ints, (int[]) back);
    else if (value instanceof long[] longs) assertArrayEquals(longs, (long[]) back);
    else if (value instanceof double[] doubles) assertArrayEquals(doubles, (double[]) back);
    else if (value.getClass().getName().endsWith("UnmodifiableCollection")) assertEquals(List.copyOf(
        (java.util.Collection<?>) value), List.copyOf((java.util.Collection<?>) back)); // equals is identity
    else assertEquals(value, back);
  }

  @Test
  void linkedAndSortedContainersKeepTheirOrder() throws Exception {
    LinkedHashMap<String, Integer> linked = new LinkedHashMap<>();
    for (String key : List.of("z", "a", "m")) linked.put(key, key.length());
    Object back = ((Holder) roundTrip(new Holder(linked))).value();
    assertEquals(List.of("z", "a", "m"), List.copyOf(((Map<?, ?>) back).keySet()));
    TreeSet<Integer> natural = new TreeSet<>(List.of(3, 1, 2));
    assertEquals(List.of(1, 2, 3), List.copyOf((TreeSet<?>) ((Holder) roundTrip(new Holder(natural))).value()));
  }

  @Test
  void unregisteredClassOnWriteIsNamedWithTheFix() {
    var top = assertThrows(NotSerializableException.class, () -> codec.toBinary(new NotRegistered(1)));
    assertTrue(top.getMessage().startsWith(NotRegistered.class.getName() + " is not registered"), top.getMessage());
    assertTrue(top.getMessage().contains("pel.serialization.classes"), top.getMessage());

    var nested = assertThrows(NotSerializableException.class, () -> codec.toBinary(new Holder(new StringBuilder("x"))));
    assertTrue(nested.getMessage().startsWith("java.lang.StringBuilder is not registered"), nested.getMessage());
    assertTrue(nested.getMessage().contains("inside a " + Holder.class.getName()), nested.getMessage());
    assertTrue(nested.getMessage().contains("KryoRegistrar"), nested.getMessage());
  }

  @Test
  void throwablesAndComparatorsThatAreNotRegisteredAreRefused() {
    var error = assertThrows(NotSerializableException.class, () -> codec.toBinary(new Holder(new IllegalStateException("x"))));
    assertTrue(error.getMessage().contains("java.lang.IllegalStateException is not registered"), error.getMessage());
    TreeSet<String> reversed = new TreeSet<>(Comparator.reverseOrder());
    reversed.add("a");
    var comparator = assertThrows(NotSerializableException.class, () -> codec.toBinary(new Holder(reversed)));
    assertTrue(comparator.getMessage().contains("is not registered"), comparator.getMessage());
  }

  @Test
  void lambdaIsRefusedWithAHint() {
    Runnable lambda = () -> {};
    var e = assertThrows(NotSerializableException.class, () -> codec.toBinary(new Holder(lambda)));
    assertTrue(e.getMessage().contains("lambda"), e.getMessage());
  }

  @Test
  void cycleFailsAtMaximumDepthInsteadOfOverflowingTheStack() {
    List<Object> cyclic = new ArrayList<>();
    cyclic.add(cyclic);
    var e = assertThrows(NotSerializableException.class, () -> codec.toBinary(new Holder(cyclic)));
    assertTrue(e.getMessage().contains("cannot write " + Holder.class.getName()), e.getMessage());
    assertTrue(e.getMessage().contains("depth"), e.getMessage());
  }

  @Test
  void messageOverMaxMessageSizeIsRefusedWhenWrittenAndWhenRead() throws Exception {
    KryoCodec small = KryoCodec.fromConfig(TestMessages.config("pel.serialization.max-message-size = 1 KiB"));
    var write = assertThrows(NotSerializableException.class, () -> small.toBinary(new Blob(new byte[4000])));
    assertTrue(write.getMessage().contains(Blob.class.getName()), write.getMessage());
    assertTrue(write.getMessage().contains("max-message-size = 1024 bytes"), write.getMessage());

    byte[] big = codec.toBinary(new Blob(new byte[4000]));
    var read = assertThrows(NotSerializableException.class, () -> small.fromBinary(big, Blob.class.getName()));
    assertTrue(read.getMessage().contains(Blob.class.getName() + " of " + big.length + " bytes"), read.getMessage());

    assertEquals(1000, ((Blob) small.fromBinary(small.toBinary(new Blob(new byte[1000])), Blob.class.getName())).data().length,
        "the same codec still works after refusing");
  }

  @Test
  void aSerializerThatCallsTheCodecWhileItWritesGetsAContextOfItsOwn() throws Exception {
    KryoCodec nesting = KryoCodec.fromConfig(TestMessages.config("pel.serialization.registrars += \""
        + TestMessages.SealedRegistrar.class.getName() + "\""));
    TestMessages.Sealed.codec = nesting;
    TestMessages.Sealed sealed = new TestMessages.Sealed(new Holder(new TestMessages.Sealed(new Point(3, 4))));
    for (int i = 0; i < 3; i++) { // the thread's own context, then the pool's, each given back every time
      byte[] bytes = nesting.toBinary(sealed);
      assertEquals(sealed, nesting.fromBinary(bytes, TestMessages.Sealed.class.getName()));
    }
    assertEquals(new Point(1, 2), nesting.fromBinary(nesting.toBinary(new Point(1, 2)), Point.class.getName()),
        "the thread's own context is free again afterwards");
  }

  @Test
  void manyThreadsRoundTripAtOnceAndGetEqualResults() throws Exception {
    int threads = 8;
    int perThread = 400;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int seed = t;
        Callable<Integer> job = () -> {
          start.await();
          int checked = 0;
          for (int i = 0; i < perThread; i++) {
            Order order = order("t" + seed + "-" + i, i % 2 == 0 ? new Point(seed, i) : List.of(seed, i));
            Object back = roundTrip(order);
            if (!order.equals(back)) throw new AssertionError("thread " + seed + " got " + back + " for " + order);
            if (i % 50 == 0) {
              assertThrows(NotSerializableException.class, () -> codec.fromBinary(new byte[] {7}, Order.class.getName()));
            }
            checked++;
          }
          return checked;
        };
        results.add(pool.submit(job));
      }
      start.countDown();
      for (Future<Integer> result : results) assertEquals(perThread, result.get(60, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }
  }
}
