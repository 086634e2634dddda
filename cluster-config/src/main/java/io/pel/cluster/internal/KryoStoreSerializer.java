package io.pel.cluster.internal;

import org.apache.pekko.actor.ExtendedActorSystem;

/**
 * PEL's Kryo serializer for state kept on disk and never sent between nodes, such as a job's snapshot: the
 * same codec and class registrations as {@link KryoSerializer}, with {@code
 * pel.serialization.max-stored-size} as its limit instead of {@code max-message-size}, since a snapshot
 * holds everything a job has done. Bound to its classes by the module that stores them, under identifier
 * 7118.
 */
public final class KryoStoreSerializer extends CodecSerializer {

  /** The identifier bound in {@code pekko.actor.serialization-identifiers}. */
  public static final int IDENTIFIER = 7118;

  /**
   * Called reflectively by Pekko's serialization extension.
   *
   * @throws io.pel.cluster.InvalidSettingException naming {@code pel.serialization.max-stored-size} if it is below {@code
   *     max-message-size} or too large
   */
  public KryoStoreSerializer(ExtendedActorSystem system) {
    super(new KryoCodec(storedSettings(system), system.dynamicAccess().classLoader(), ActorRefResolution.of(system)));
  }

  private static KryoSettings storedSettings(ExtendedActorSystem system) {
    KryoSettings wire = KryoSettings.fromConfig(system.settings().config());
    // From max-message-size up: a snapshot is at least as large as the messages it stands for.
    long stored = ConfigReader.size(system.settings().config().getConfig("pel"), "serialization.max-stored-size",
        wire.maxMessageSize(), KryoSettings.MAX_MESSAGE_SIZE);
    return new KryoSettings(wire.classes(), wire.registrars(), (int) stored);
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }
}
