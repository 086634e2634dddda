package io.pel.cluster.internal;

import org.apache.pekko.actor.ExtendedActorSystem;

/**
 * Pekko's entry point to PEL's Kryo serializer, bound to {@link io.pel.cluster.PelSerializable} by PEL's
 * {@code reference.conf} under identifier 7117. It only adapts {@link KryoCodec}, built from the
 * system's {@code pel.serialization} settings with the system's class loader and actor reference
 * resolvers; see the codec for the format and its guarantees.
 */
public final class KryoSerializer extends CodecSerializer {

  /** The identifier bound in {@code pekko.actor.serialization-identifiers}. */
  public static final int IDENTIFIER = 7117;

  /**
   * Called reflectively by Pekko's serialization extension.
   *
   * @throws io.pel.cluster.InvalidSettingException naming the {@code pel.serialization} key at fault
   */
  public KryoSerializer(ExtendedActorSystem system) {
    super(new KryoCodec(
        KryoSettings.fromConfig(system.settings().config()),
        system.dynamicAccess().classLoader(),
        ActorRefResolution.of(system)));
  }

  /**
   * The codec of {@code system}'s PEL serializer, to write values apart from a message.
   *
   * @throws IllegalStateException if PEL's serializer is not bound to {@code PelSerializable}
   */
  public static KryoCodec codecOf(org.apache.pekko.actor.ActorSystem system) {
    try {
      return ((KryoSerializer) org.apache.pekko.serialization.SerializationExtension.get(system)
          .serializerFor(io.pel.cluster.PelSerializable.class)).codec();
    } catch (java.io.NotSerializableException | ClassCastException e) {
      throw new IllegalStateException("PEL's Kryo serializer is not bound to PelSerializable", e);
    }
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }
}
