package io.pel.cluster.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ImmutableSerializer;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Actor references as their serialization format (a string holding the full path and the node's
 * address), resolved on the receiving node. {@link PelClassResolver} maps every implementation class to
 * the interface's registration, so one id serves all of them.
 */
final class ActorRefSerializers {

  private ActorRefSerializers() {}

  /** A typed {@link ActorRef}. */
  static final class Typed extends ImmutableSerializer<ActorRef<?>> {
    private final ActorRefResolution resolution;

    Typed(ActorRefResolution resolution) {
      this.resolution = resolution;
    }

    @Override
    public void write(Kryo kryo, Output output, ActorRef<?> ref) {
      output.writeString(resolution.toString(ref));
    }

    @Override
    public ActorRef<?> read(Kryo kryo, Input input, Class<? extends ActorRef<?>> type) {
      return resolution.typedRef(input.readString());
    }
  }

  /** A classic {@link org.apache.pekko.actor.ActorRef}. */
  static final class Classic extends ImmutableSerializer<org.apache.pekko.actor.ActorRef> {
    private final ActorRefResolution resolution;

    Classic(ActorRefResolution resolution) {
      this.resolution = resolution;
    }

    @Override
    public void write(Kryo kryo, Output output, org.apache.pekko.actor.ActorRef ref) {
      output.writeString(resolution.toString(ref));
    }

    @Override
    public org.apache.pekko.actor.ActorRef read(
        Kryo kryo, Input input, Class<? extends org.apache.pekko.actor.ActorRef> type) {
      return resolution.classicRef(input.readString());
    }
  }
}
