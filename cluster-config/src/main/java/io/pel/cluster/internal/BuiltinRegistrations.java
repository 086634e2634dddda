package io.pel.cluster.internal;

import com.esotericsoftware.kryo.serializers.DefaultArraySerializers;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.OptionalSerializers;
import com.esotericsoftware.kryo.serializers.TimeSerializers;
import io.pel.cluster.internal.JdkSerializers.CopyingCollectionSerializer;
import io.pel.cluster.internal.JdkSerializers.CopyingMapSerializer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * The classes every PEL node registers, under fixed ids in 100&ndash;199 (reserved for this table; PEL's
 * protocol registrars use 200&ndash;999). An id, once shipped, never changes meaning: nodes of different
 * versions must agree on it. Kryo itself registers the primitives, their boxes and String below 100.
 *
 * <pre>
 * 100 UUID          110 byte[]     120 ArrayList      130 List.of(a)                 140 emptyList()
 * 101 Instant       111 int[]      121 LinkedList     131 List.of(), List.of(a, b..) 141 emptySet()
 * 102 Duration      112 long[]     122 HashSet            and Stream.toList()        142 emptyMap()
 * 103 BigDecimal    113 double[]   123 LinkedHashSet  132 Set.of(a)                  143 singletonList(a)
 * 104 BigInteger    114 String[]   124 TreeSet        133 Set.of(), Set.of(a, b..)   144 singleton(a)
 * 105 Optional      115 Object[]   125 HashMap        134 Map.of(k, v)               145 singletonMap(k, v)
 *                                  126 LinkedHashMap  135 Map.of(), Map.of(k, v, ..) 146 unmodifiableList (ArrayList)
 * 160 typed ActorRef (any class)   127 TreeMap            and Map.ofEntries          147 unmodifiableList (other)
 * 161 classic ActorRef (any class)                    136 Arrays.asList              148 unmodifiableSet
 *                                                                                    149 unmodifiableMap
 *                                                                                    150 unmodifiableCollection
 * </pre>
 *
 * <p>Throwables are deliberately absent: their fields are closed to reflection on Java 17 and a remote
 * stack trace is no use to the receiver; PEL sends error text instead.
 */
final class BuiltinRegistrations {

  private BuiltinRegistrations() {}

  static void addTo(KryoRegistry.Table table, ActorRefResolution resolution) {
    table.builtin(UUID.class, 100, k -> new JdkSerializers.UuidSerializer());
    table.builtin(Instant.class, 101, k -> new TimeSerializers.InstantSerializer());
    table.builtin(Duration.class, 102, k -> new TimeSerializers.DurationSerializer());
    table.builtin(BigDecimal.class, 103, k -> new DefaultSerializers.BigDecimalSerializer());
    table.builtin(BigInteger.class, 104, k -> new DefaultSerializers.BigIntegerSerializer());
    table.builtin(Optional.class, 105, k -> new OptionalSerializers.OptionalSerializer());

    // Kryo's primitive array serializers read through BoundedInput, which checks their length headers.
    table.builtin(byte[].class, 110, k -> new DefaultArraySerializers.ByteArraySerializer());
    table.builtin(int[].class, 111, k -> new DefaultArraySerializers.IntArraySerializer());
    table.builtin(long[].class, 112, k -> new DefaultArraySerializers.LongArraySerializer());
    table.builtin(double[].class, 113, k -> new DefaultArraySerializers.DoubleArraySerializer());
    table.builtin(String[].class, 114, k -> new JdkSerializers.StringArraySerializer());
    table.builtin(Object[].class, 115, k -> new JdkSerializers.ObjectArraySerializer());

    table.builtin(ArrayList.class, 120, collection(a -> new ArrayList<>(Arrays.asList(a))));
    table.builtin(LinkedList.class, 121, collection(a -> new LinkedList<>(Arrays.asList(a))));
    table.builtin(HashSet.class, 122, collection(a -> addAll(new HashSet<>(JdkSerializers.hashCapacity(a.length)), a)));
    table.builtin(LinkedHashSet.class, 123,
        collection(a -> addAll(new LinkedHashSet<>(JdkSerializers.hashCapacity(a.length)), a)));
    table.builtin(TreeSet.class, 124, k -> new JdkSerializers.TreeSetSerializer());
    table.builtin(HashMap.class, 125,
        map(kv -> JdkSerializers.putAll(new HashMap<>(JdkSerializers.hashCapacity(kv.length / 2)), kv)));
    table.builtin(LinkedHashMap.class, 126,
        map(kv -> JdkSerializers.putAll(new LinkedHashMap<>(JdkSerializers.hashCapacity(kv.length / 2)), kv)));
    table.builtin(TreeMap.class, 127, k -> new JdkSerializers.TreeMapSerializer());

    // The JDK's immutable collections are private classes; one example of each names them.
    table.builtin(List.of(1).getClass(), 130, collection(BuiltinRegistrations::immutableList));
    table.builtin(List.of(1, 2, 3).getClass(), 131, collection(BuiltinRegistrations::immutableList));
    table.builtin(Set.of(1).getClass(), 132, collection(Set::of));
    table.builtin(Set.of(1, 2, 3).getClass(), 133, collection(Set::of));
    table.builtin(Map.of(1, 1).getClass(), 134, map(BuiltinRegistrations::immutableMap));
    table.builtin(Map.of(1, 1, 2, 2).getClass(), 135, map(BuiltinRegistrations::immutableMap));
    table.builtin(Arrays.asList(1).getClass(), 136, collection(Arrays::asList));

    table.builtin(Collections.emptyList().getClass(), 140, k -> new DefaultSerializers.CollectionsEmptyListSerializer());
    table.builtin(Collections.emptySet().getClass(), 141, k -> new DefaultSerializers.CollectionsEmptySetSerializer());
    table.builtin(Collections.emptyMap().getClass(), 142, k -> new DefaultSerializers.CollectionsEmptyMapSerializer());
    table.builtin(Collections.singletonList(1).getClass(), 143,
        k -> new DefaultSerializers.CollectionsSingletonListSerializer());
    table.builtin(Collections.singleton(1).getClass(), 144, k -> new DefaultSerializers.CollectionsSingletonSetSerializer());
    table.builtin(Collections.singletonMap(1, 1).getClass(), 145,
        k -> new DefaultSerializers.CollectionsSingletonMapSerializer());
    table.builtin(Collections.unmodifiableList(new ArrayList<>()).getClass(), 146,
        collection(a -> Collections.unmodifiableList(new ArrayList<>(Arrays.asList(a)))));
    table.builtin(Collections.unmodifiableList(new LinkedList<>()).getClass(), 147,
        collection(a -> Collections.unmodifiableList(new LinkedList<>(Arrays.asList(a)))));
    table.builtin(Collections.unmodifiableSet(new HashSet<>()).getClass(), 148,
        collection(a -> Collections.unmodifiableSet(addAll(new LinkedHashSet<>(JdkSerializers.hashCapacity(a.length)), a))));
    table.builtin(Collections.unmodifiableMap(new HashMap<>()).getClass(), 149,
        map(kv -> Collections.unmodifiableMap(JdkSerializers.putAll(new LinkedHashMap<>(), kv))));
    table.builtin(Collections.unmodifiableCollection(new ArrayList<>()).getClass(), 150,
        collection(a -> Collections.unmodifiableCollection(new ArrayList<>(Arrays.asList(a)))));

    table.builtin(org.apache.pekko.actor.typed.ActorRef.class, 160, k -> new ActorRefSerializers.Typed(resolution));
    table.builtin(org.apache.pekko.actor.ActorRef.class, 161, k -> new ActorRefSerializers.Classic(resolution));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Function<com.esotericsoftware.kryo.Kryo, com.esotericsoftware.kryo.Serializer<?>> collection(
      Function<Object[], ? extends Collection> rebuild) {
    return k -> new CopyingCollectionSerializer((Function) rebuild);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Function<com.esotericsoftware.kryo.Kryo, com.esotericsoftware.kryo.Serializer<?>> map(
      Function<Object[], ? extends Map> rebuild) {
    return k -> new CopyingMapSerializer((Function) rebuild);
  }

  private static <C extends Collection<Object>> C addAll(C collection, Object[] elements) {
    Collections.addAll(collection, elements);
    return collection;
  }

  /** List.of rejects nulls; Stream.toList() makes the same class with nulls allowed. */
  private static List<Object> immutableList(Object[] elements) {
    for (Object element : elements) {
      if (element == null) return Arrays.stream(elements).toList();
    }
    return List.of(elements);
  }

  private static Map<Object, Object> immutableMap(Object[] keysAndValues) {
    @SuppressWarnings("unchecked")
    Map.Entry<Object, Object>[] entries = new Map.Entry[keysAndValues.length / 2];
    for (int i = 0; i < entries.length; i++) {
      entries[i] = Map.entry(Objects.requireNonNull(keysAndValues[2 * i]), Objects.requireNonNull(keysAndValues[2 * i + 1]));
    }
    return Map.ofEntries(entries);
  }
}
