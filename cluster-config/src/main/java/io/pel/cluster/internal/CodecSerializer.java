package io.pel.cluster.internal;

import java.io.NotSerializableException;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Pekko's entry point to a {@link KryoCodec}: the serializers differ only in their identifier and the
 * codec's size limit. Pekko creates one instance per actor system and calls it from many threads; the
 * codec is thread-safe.
 */
abstract class CodecSerializer extends SerializerWithStringManifest {

  private final KryoCodec codec;

  CodecSerializer(KryoCodec codec) {
    this.codec = codec;
  }

  /** The codec behind this serializer, for values stored apart from a message. */
  public final KryoCodec codec() {
    return codec;
  }

  @Override
  public final String manifest(Object o) {
    return codec.manifest(o);
  }

  @Override
  public final byte[] toBinary(Object o) {
    try {
      return codec.toBinary(o);
    } catch (NotSerializableException e) {
      throw sneakyThrow(e);
    }
  }

  @Override
  public final Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    return codec.fromBinary(bytes, manifest);
  }

  /**
   * Pekko's {@code toBinary} is Scala and declares no checked exception, yet Pekko's own serializers throw
   * NotSerializableException from it; PEL does the same rather than hide the message inside a wrapper.
   */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> RuntimeException sneakyThrow(Throwable e) throws E {
    throw (E) e;
  }
}
