package io.pel.cluster;

import com.esotericsoftware.kryo.Serializer;

/**
 * Registers classes with PEL's Kryo serializer under fixed ids.
 *
 * <p>A jar that brings its own wire classes names its implementation in its own {@code reference.conf},
 * under a key of its own: {@code pel.serialization.module-registrars.<module> = "<class>"}; the entries of
 * every jar on the class path add up. An application may also list registrars in its {@code
 * application.conf}, in {@code pel.serialization.registrars}. A registrar needs a public no-argument
 * constructor. Every node of a cluster must run the same registrars with the same ids: an id identifies a
 * class on the wire, and a class that is not registered is refused, never instantiated.
 *
 * <p>Id ranges: 100&ndash;999 belong to PEL's own protocol; other registrars use 1000&ndash;4999;
 * classes listed in {@code pel.serialization.classes} get 5000 + their position in the list. A clash
 * stops start-up with a message naming both classes.
 */
@FunctionalInterface
public interface KryoRegistrar {

  /** Adds this registrar's classes to {@code registrations}. */
  void registerClasses(Registrations registrations);

  /** The registrations being built; used only during start-up, from one thread. */
  interface Registrations {

    /**
     * Registers {@code type} under {@code id} with Kryo's default serializer for it (records, enums and
     * classes with a no-argument constructor work as they are).
     *
     * @throws IllegalArgumentException if the id or the class is already registered
     */
    void register(Class<?> type, int id);

    /**
     * Registers {@code type} under {@code id}, written and read by {@code serializer}. The one instance is
     * shared by every pooled Kryo instance and called from many threads, so it must keep no state between
     * calls (Kryo's {@code ImmutableSerializer} subclasses that only read and write fields are fine).
     *
     * @throws IllegalArgumentException if the id or the class is already registered
     */
    <T> void register(Class<T> type, int id, Serializer<T> serializer);
  }
}
