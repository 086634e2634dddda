package io.pel.cluster.internal;

import java.io.NotSerializableException;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * PEL's Kryo serializer for state kept on disk and never sent between nodes, such as a job's snapshot: the
 * same codec and class registrations as {@link KryoSerializer}, with {@code
 * pel.serialization.max-stored-size} as its limit instead of {@code max-message-size}, since a snapshot
 * holds everything a job has done. Bound to its classes by the module that stores them, under identifier
 * 7118.
 */
public final class KryoStoreSerializer extends SerializerWithStringManifest {

  /** The identifier bound in {@code pekko.actor.serialization-identifiers}. */
  public static final int IDENTIFIER = 7118;

  private final KryoCodec codec;

  /** Called reflectively by Pekko's serialization extension. */
  public KryoStoreSerializer(ExtendedActorSystem system) {
    KryoSettings wire = KryoSettings.fromConfig(system.settings().config());
    long stored = system.settings().config().getBytes("pel.serialization.max-stored-size");
    if (stored < wire.maxMessageSize() || stored > KryoSettings.MAX_MESSAGE_SIZE) {
      throw new io.pel.cluster.InvalidSettingException("pel.serialization.max-stored-size", stored,
          "a size from max-message-size (" + wire.maxMessageSize() + " bytes) to " + KryoSettings.MAX_MESSAGE_SIZE + " bytes");
    }
    this.codec = new KryoCodec(new KryoSettings(wire.classes(), wire.registrars(), (int) stored),
        system.dynamicAccess().classLoader(), ActorRefResolution.of(system));
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
      throw KryoSerializer.sneakyThrow(e);
    }
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    return codec.fromBinary(bytes, manifest);
  }
}
