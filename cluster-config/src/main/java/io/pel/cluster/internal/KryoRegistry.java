package io.pel.cluster.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import io.pel.cluster.InvalidSettingException;
import io.pel.cluster.KryoRegistrar;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * PEL's Kryo registration table: which class travels under which id, written by which serializer.
 *
 * <p>Built once, at start-up, in a fixed order: PEL's built-ins (ids 100&ndash;199, see
 * {@link BuiltinRegistrations}), then each registrar of {@code pel.serialization.module-registrars} (by
 * module name) and of {@code pel.serialization.registrars}, then each class of {@code
 * pel.serialization.classes} under 5000 + its index. Every clash of id or class stops the
 * build with a message naming both sides. The table is immutable afterwards and applied to every new Kryo
 * instance; it is also the only source of classes for incoming manifests.
 */
final class KryoRegistry {

  /** First id of classes listed in {@code pel.serialization.classes}. */
  static final int CONFIG_CLASSES_FIRST_ID = 5000;
  /** Ids below this are Kryo's own (primitives, String). */
  static final int FIRST_PEL_ID = 100;

  /**
   * One registration.
   *
   * @param serializer builds the serializer for a Kryo instance; null: Kryo's default for the class
   *     (records, enums and classes with a no-argument constructor)
   * @param origin where the registration came from, for error messages
   */
  record Entry(Class<?> type, int id, Function<Kryo, Serializer<?>> serializer, String origin) {}

  private final List<Entry> entries;
  private final Map<String, Class<?>> classesByName;

  private KryoRegistry(List<Entry> entries) {
    this.entries = List.copyOf(entries);
    Map<String, Class<?>> byName = new HashMap<>();
    for (Entry entry : entries) byName.put(entry.type().getName(), entry.type());
    this.classesByName = Map.copyOf(byName);
  }

  /**
   * Builds the table.
   *
   * @param loader loads the classes and registrars named in {@code settings}
   * @param resolution how actor references are written and resolved
   * @throws InvalidSettingException naming the key and the class at fault, including a registrar that
   *     registers a taken id or class (the message names both classes)
   */
  static KryoRegistry create(KryoSettings settings, ClassLoader loader, ActorRefResolution resolution) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(loader, "loader");
    Objects.requireNonNull(resolution, "resolution");
    Table table = new Table();
    BuiltinRegistrations.addTo(table, resolution);
    for (KryoSettings.Registrar named : settings.registrars()) {
      KryoRegistrar registrar = instantiateRegistrar(named, loader);
      table.origin = "registrar " + named.className();
      table.minId = FIRST_PEL_ID;
      table.maxId = CONFIG_CLASSES_FIRST_ID - 1;
      try {
        registrar.registerClasses(table);
      } catch (RuntimeException e) {
        throw new InvalidSettingException(named.setting(), named.className(),
            "a registrar that registers free ids and classes, but " + e.getMessage());
      }
    }
    List<String> classes = settings.classes();
    for (int i = 0; i < classes.size(); i++) {
      String name = classes.get(i);
      Class<?> type = loadPayloadClass(name, loader);
      Entry existing = table.byClass.get(type);
      if (existing != null) {
        throw new InvalidSettingException("pel.serialization.classes", name,
            "a class not registered already; " + existing.origin() + " registers it under id " + existing.id());
      }
      table.add(new Entry(type, CONFIG_CLASSES_FIRST_ID + i, null, "pel.serialization.classes[" + i + "]"));
    }
    return new KryoRegistry(table.entries);
  }

  /** The registered class named by {@code name}, or null: a name is never loaded, only looked up. */
  Class<?> registeredClass(String name) {
    return classesByName.get(name);
  }

  /** Every registration, in registration order. */
  List<Entry> entries() {
    return entries;
  }

  /** Registers every entry with {@code kryo}. */
  void registerAll(Kryo kryo) {
    for (Entry entry : entries) {
      try {
        if (entry.serializer() == null) kryo.register(entry.type(), entry.id());
        else kryo.register(entry.type(), entry.serializer().apply(kryo), entry.id());
      } catch (RuntimeException e) {
        // Kryo builds a default serializer eagerly; a class it cannot handle (fields closed to
        // reflection, say) fails here, at start-up, rather than on the first message.
        throw new IllegalArgumentException("Kryo cannot register " + entry.type().getName() + " under id "
            + entry.id() + " (" + entry.origin() + "): " + e, e);
      }
    }
  }

  /** A class named by trusted local configuration (never by a peer), without initialising it. */
  private static Class<?> loadConfigured(String key, String name, ClassLoader loader) {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new InvalidSettingException(key, name, "a class on the classpath (" + e + ")");
    }
  }

  private static KryoRegistrar instantiateRegistrar(KryoSettings.Registrar named, ClassLoader loader) {
    String key = named.setting();
    String name = named.className();
    Class<?> type = loadConfigured(key, name, loader);
    if (!KryoRegistrar.class.isAssignableFrom(type)) {
      throw new InvalidSettingException(key, name, "a class implementing " + KryoRegistrar.class.getName());
    }
    try {
      Constructor<?> constructor = type.getConstructor();
      return (KryoRegistrar) constructor.newInstance();
    } catch (NoSuchMethodException e) {
      throw new InvalidSettingException(key, name, "a class with a public no-argument constructor");
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new InvalidSettingException(key, name, "a registrar that can be constructed, but it threw " + cause);
    }
  }

  private static Class<?> loadPayloadClass(String name, ClassLoader loader) {
    String key = "pel.serialization.classes";
    Class<?> type = loadConfigured(key, name, loader);
    boolean abstractClass = Modifier.isAbstract(type.getModifiers()) && !type.isEnum() && !type.isArray();
    if (type.isInterface() || abstractClass || type.isPrimitive()) {
      throw new InvalidSettingException(key, name, "a concrete class: interfaces and abstract classes have no instances");
    }
    return type;
  }

  /** The table being built; it is the {@link KryoRegistrar.Registrations} handed to registrars. */
  static final class Table implements KryoRegistrar.Registrations {
    private final List<Entry> entries = new ArrayList<>();
    private final Map<Integer, Entry> byId = new HashMap<>();
    private final Map<Class<?>, Entry> byClass = new HashMap<>();
    private String origin = "PEL built-ins";
    private int minId = FIRST_PEL_ID;
    private int maxId = Integer.MAX_VALUE;

    @Override
    public void register(Class<?> type, int id) {
      checkRange(type, id);
      add(new Entry(type, id, null, origin));
    }

    @Override
    public <T> void register(Class<T> type, int id, Serializer<T> serializer) {
      Objects.requireNonNull(serializer, "serializer");
      checkRange(type, id);
      // One instance for every pooled Kryo: KryoRegistrar documents that it must be stateless.
      add(new Entry(type, id, kryo -> serializer, origin));
    }

    /** Registers a built-in whose serializer is built per Kryo instance. */
    void builtin(Class<?> type, int id, Function<Kryo, Serializer<?>> serializer) {
      add(new Entry(type, id, serializer, origin));
    }

    private void checkRange(Class<?> type, int id) {
      Objects.requireNonNull(type, "type");
      if (id < minId || id > maxId) {
        throw new IllegalArgumentException(origin + " registers " + type.getName() + " under id " + id
            + ", outside " + minId + ".." + maxId + " (ids from " + CONFIG_CLASSES_FIRST_ID
            + " belong to pel.serialization.classes, ids below " + FIRST_PEL_ID + " to Kryo)");
      }
    }

    private void add(Entry entry) {
      Entry sameId = byId.get(entry.id());
      if (sameId != null) {
        throw new IllegalArgumentException("id " + entry.id() + " is taken twice: by " + sameId.type().getName()
            + " (" + sameId.origin() + ") and by " + entry.type().getName() + " (" + entry.origin() + ")");
      }
      Entry sameClass = byClass.get(entry.type());
      if (sameClass != null) {
        throw new IllegalArgumentException(entry.type().getName() + " is registered twice: under id "
            + sameClass.id() + " (" + sameClass.origin() + ") and under id " + entry.id() + " (" + entry.origin() + ")");
      }
      entries.add(entry);
      byId.put(entry.id(), entry);
      byClass.put(entry.type(), entry);
    }
  }
}
