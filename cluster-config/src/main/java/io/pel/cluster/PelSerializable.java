package io.pel.cluster;

/**
 * Marker for every message that may cross from one PEL node to another.
 *
 * <p>{@code reference.conf} binds this interface to PEL's Kryo serializer, so a class that implements it
 * is written with Kryo and must be registered (PEL's own protocol is registered by PEL; user payload
 * classes through {@code pel.serialization.classes} or a {@link KryoRegistrar}). Messages that never leave
 * their JVM implement Pekko's {@code NoSerializationVerificationNeeded} instead.
 */
public interface PelSerializable {}
