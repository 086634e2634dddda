package io.pel.cluster.internal;

import java.io.NotSerializableException;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Pekko's entry point to PEL's Kryo serializer, bound to {@link io.pel.cluster.PelSerializable} by PEL's
 * {@code reference.conf} under identifier 7117. It only adapts {@link KryoCodec}, built from the
 * system's {@code pel.serialization} settings with the system's class loader and actor reference
 * resolvers; see the codec for the format and its guarantees.
 *
 * <p>Pekko creates one instance per actor system and calls it from many threads; the codec is
 * thread-safe.
 */
public final class KryoSerializer extends SerializerWithStringManifest {

  /** The identifier bound in {@code pekko.actor.serialization-identifiers}. */
  public static final int IDENTIFIER = 7117;

  private final KryoCodec codec;

  /**
   * Called reflectively by Pekko's serialization extension.
   *
   * @throws io.pel.cluster.InvalidSettingException naming the {@code pel.serialization} key at fault
   */
  public KryoSerializer(ExtendedActorSystem system) {
    this.codec = new KryoCodec(
        KryoSettings.fromConfig(system.settings().config()),
        system.dynamicAccess().classLoader(),
        ActorRefResolution.of(system));
  }

  /** The codec behind this serializer, for values stored apart from a message. */
  public KryoCodec codec() {
    return codec;
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object o) {
    return codec.manifest(o);
  }

  @Override
  public byte[] toBinary(Object o) {
    try {
      return codec.toBinary(o);
    } catch (NotSerializableException e) {
      throw sneakyThrow(e);
    }
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    return codec.fromBinary(bytes, manifest);
  }

  /**
   * Pekko's {@code toBinary} is Scala and declares no checked exception, yet Pekko's own serializers throw
   * NotSerializableException from it; PEL does the same rather than hide the message inside a wrapper.
   */
  @SuppressWarnings("unchecked")
  static <E extends Throwable> RuntimeException sneakyThrow(Throwable e) throws E {
    throw (E) e;
  }
}
