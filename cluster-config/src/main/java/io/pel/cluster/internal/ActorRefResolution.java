package io.pel.cluster.internal;

import com.esotericsoftware.kryo.KryoException;
import java.util.Objects;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;

/**
 * Turns actor references into their serialization format (a full actor path with the node's address)
 * and back. Implementations must be thread-safe: every pooled Kryo instance calls the same one.
 */
public interface ActorRefResolution {

  /** The serialization format of a typed reference. */
  String toString(ActorRef<?> ref);

  /** The typed reference a serialization format names (dead letters if it names nothing live). */
  ActorRef<?> typedRef(String serialized);

  /** The serialization format of a classic reference. */
  String toString(org.apache.pekko.actor.ActorRef ref);

  /** The classic reference a serialization format names. */
  org.apache.pekko.actor.ActorRef classicRef(String serialized);

  /**
   * Resolution through {@code system}'s own resolvers. The typed {@link ActorRefResolver} is looked up on
   * first use: the serializer is built while the system's serialization extension is still starting.
   */
  static ActorRefResolution of(ExtendedActorSystem system) {
    Objects.requireNonNull(system, "system");
    return new ActorRefResolution() {
      private volatile ActorRefResolver typed;

      private ActorRefResolver typed() {
        ActorRefResolver resolver = typed;
        if (resolver == null) typed = resolver = ActorRefResolver.get(Adapter.toTyped(system));
        return resolver;
      }

      @Override
      public String toString(ActorRef<?> ref) {
        return typed().toSerializationFormat(ref);
      }

      @Override
      public ActorRef<?> typedRef(String serialized) {
        return typed().resolveActorRef(serialized);
      }

      @Override
      public String toString(org.apache.pekko.actor.ActorRef ref) {
        return Serialization.serializedActorPath(ref);
      }

      @Override
      public org.apache.pekko.actor.ActorRef classicRef(String serialized) {
        return system.provider().resolveActorRef(serialized);
      }
    };
  }

  /** For codecs without an actor system (tests, benchmarks): any actor reference is refused. */
  static ActorRefResolution none() {
    return new ActorRefResolution() {
      @Override
      public String toString(ActorRef<?> ref) {
        throw unavailable();
      }

      @Override
      public ActorRef<?> typedRef(String serialized) {
        throw unavailable();
      }

      @Override
      public String toString(org.apache.pekko.actor.ActorRef ref) {
        throw unavailable();
      }

      @Override
      public org.apache.pekko.actor.ActorRef classicRef(String serialized) {
        throw unavailable();
      }

      private KryoException unavailable() {
        return new KryoException("actor references need an actor system, and this codec was built without one");
      }
    };
  }
}
