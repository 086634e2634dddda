package io.pel.cluster.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ImmutableSerializer;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * Serializers for JDK types that PEL registers itself, because Kryo's own either fail on Java 17 (UUID,
 * the unmodifiable wrappers: their fields are closed to reflection) or size an array from an unchecked
 * length header before reading the elements (collections, maps, object arrays).
 *
 * <p>Containers are written as a count followed by their elements, each with its registration id; they
 * are read back into a fresh container of the same kind. Every read checks the count against the bytes
 * left ({@link BoundedInput#requireElements}) before allocating. Instances hold no per-message state, but
 * PEL still builds one set per Kryo instance.
 */
final class JdkSerializers {

  private JdkSerializers() {}

  /** A UUID as its two longs; Kryo's reflective default cannot reach UUID's fields on Java 17. */
  static final class UuidSerializer extends ImmutableSerializer<UUID> {
    @Override
    public void write(Kryo kryo, Output output, UUID uuid) {
      output.writeLong(uuid.getMostSignificantBits());
      output.writeLong(uuid.getLeastSignificantBits());
    }

    @Override
    public UUID read(Kryo kryo, Input input, Class<? extends UUID> type) {
      return new UUID(input.readLong(), input.readLong());
    }
  }

  /** Any collection, rebuilt from its elements by {@code rebuild} (which may make it unmodifiable). */
  static final class CopyingCollectionSerializer extends Serializer<Collection<Object>> {
    private final Function<Object[], Collection<Object>> rebuild;

    CopyingCollectionSerializer(Function<Object[], Collection<Object>> rebuild) {
      this.rebuild = rebuild;
    }

    @Override
    public void write(Kryo kryo, Output output, Collection<Object> collection) {
      writeElements(kryo, output, collection);
    }

    @Override
    public Collection<Object> read(Kryo kryo, Input input, Class<? extends Collection<Object>> type) {
      return rebuild.apply(readElements(kryo, input, 1));
    }
  }

  /** Any map, rebuilt by {@code rebuild} from an array of alternating keys and values. */
  static final class CopyingMapSerializer extends Serializer<Map<Object, Object>> {
    private final Function<Object[], Map<Object, Object>> rebuild;

    CopyingMapSerializer(Function<Object[], Map<Object, Object>> rebuild) {
      this.rebuild = rebuild;
    }

    @Override
    public void write(Kryo kryo, Output output, Map<Object, Object> map) {
      writeEntries(kryo, output, map);
    }

    @Override
    public Map<Object, Object> read(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type) {
      return rebuild.apply(readElements(kryo, input, 2));
    }
  }

  /** A {@link TreeSet}, its comparator first (null for natural order; otherwise it must be registered). */
  static final class TreeSetSerializer extends Serializer<SortedSet<Object>> {
    @Override
    public void write(Kryo kryo, Output output, SortedSet<Object> set) {
      kryo.writeClassAndObject(output, set.comparator());
      writeElements(kryo, output, set);
    }

    @Override
    public SortedSet<Object> read(Kryo kryo, Input input, Class<? extends SortedSet<Object>> type) {
      TreeSet<Object> set = new TreeSet<>(readComparator(kryo, input));
      for (Object element : readElements(kryo, input, 1)) set.add(element);
      return set;
    }
  }

  /** A {@link TreeMap}, its comparator first (null for natural order; otherwise it must be registered). */
  static final class TreeMapSerializer extends Serializer<SortedMap<Object, Object>> {
    @Override
    public void write(Kryo kryo, Output output, SortedMap<Object, Object> map) {
      kryo.writeClassAndObject(output, map.comparator());
      writeEntries(kryo, output, map);
    }

    @Override
    public SortedMap<Object, Object> read(Kryo kryo, Input input, Class<? extends SortedMap<Object, Object>> type) {
      TreeMap<Object, Object> map = new TreeMap<>(readComparator(kryo, input));
      return putAll(map, readElements(kryo, input, 2));
    }
  }

  /** {@code Object[]}: a count, then each element with its registration id. */
  static final class ObjectArraySerializer extends Serializer<Object[]> {
    @Override
    public void write(Kryo kryo, Output output, Object[] array) {
      output.writeVarInt(array.length, true);
      for (Object element : array) kryo.writeClassAndObject(output, element);
    }

    @Override
    public Object[] read(Kryo kryo, Input input, Class<? extends Object[]> type) {
      return readElements(kryo, input, 1);
    }
  }

  /** {@code String[]}: a count, then each string (null allowed). */
  static final class StringArraySerializer extends Serializer<String[]> {
    @Override
    public void write(Kryo kryo, Output output, String[] array) {
      output.writeVarInt(array.length, true);
      for (String element : array) output.writeString(element);
    }

    @Override
    public String[] read(Kryo kryo, Input input, Class<? extends String[]> type) {
      int count = input.readVarInt(true);
      BoundedInput.requireElements(input, count);
      String[] array = new String[count];
      for (int i = 0; i < count; i++) array[i] = input.readString();
      return array;
    }
  }

  /** Puts alternating keys and values into {@code map} and returns it. */
  static <M extends Map<Object, Object>> M putAll(M map, Object[] keysAndValues) {
    for (int i = 0; i < keysAndValues.length; i += 2) map.put(keysAndValues[i], keysAndValues[i + 1]);
    return map;
  }

  /** Initial capacity of a hash container that will hold {@code size} entries without rehashing. */
  static int hashCapacity(int size) {
    return size < 3 ? size + 1 : (int) Math.min(size / 0.75f + 1, 1 << 30);
  }

  private static void writeElements(Kryo kryo, Output output, Collection<Object> collection) {
    output.writeVarInt(collection.size(), true);
    int written = 0;
    for (Object element : collection) {
      kryo.writeClassAndObject(output, element);
      written++;
    }
    if (written != collection.size()) throw new KryoException("collection changed while it was written");
  }

  private static void writeEntries(Kryo kryo, Output output, Map<Object, Object> map) {
    output.writeVarInt(map.size(), true);
    int written = 0;
    for (Map.Entry<Object, Object> entry : map.entrySet()) {
      kryo.writeClassAndObject(output, entry.getKey());
      kryo.writeClassAndObject(output, entry.getValue());
      written++;
    }
    if (written != map.size()) throw new KryoException("map changed while it was written");
  }

  /** Reads a count of items of {@code width} objects each (1 for elements, 2 for map entries). */
  private static Object[] readElements(Kryo kryo, Input input, int width) {
    int count = input.readVarInt(true);
    BoundedInput.requireElements(input, (long) count * width);
    Object[] items = new Object[count * width];
    for (int i = 0; i < items.length; i++) items[i] = kryo.readClassAndObject(input);
    return items;
  }

  @SuppressWarnings("unchecked")
  private static Comparator<Object> readComparator(Kryo kryo, Input input) {
    Object comparator = kryo.readClassAndObject(input);
    if (comparator == null || comparator instanceof Comparator) return (Comparator<Object>) comparator;
    throw new KryoException("expected a Comparator but read a " + comparator.getClass().getName());
  }
}
