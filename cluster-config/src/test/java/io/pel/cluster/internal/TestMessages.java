package io.pel.cluster.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ImmutableSerializer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.pel.cluster.KryoRegistrar;
import io.pel.cluster.PelSerializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;

/** Messages, registrars and configs shared by the serializer tests. */
final class TestMessages {

  private TestMessages() {}

  enum Priority { LOW, HIGH }

  /** An enum whose constants have bodies, so each constant is its own subclass. */
  enum Operation {
    PLUS { @Override int apply(int a, int b) { return a + b; } },
    MINUS { @Override int apply(int a, int b) { return a - b; } };

    abstract int apply(int a, int b);
  }

  record Point(int x, int y) implements PelSerializable {}

  record Line(Point from, Point to, String label) implements PelSerializable {}

  record Order(
      UUID id, Instant placedAt, Duration timeout, Priority priority, String note, List<Line> lines,
      Map<String, Long> totals, Object extra, BigDecimal amount) implements PelSerializable {}

  /** byte[] equality is by identity in a record, so tests compare {@code data} themselves. */
  record Blob(byte[] data) implements PelSerializable {}

  record Text(String value) implements PelSerializable {}

  /** Carries anything: whatever is inside travels with its registration id. */
  record Holder(Object value) implements PelSerializable {}

  record Ping(String text, ActorRef<String> replyTo) implements PelSerializable {}

  /** Registered by {@link TestRegistrar}, not by config. */
  record Money(long cents, String currency) implements PelSerializable {}

  record Receipt(Money total) implements PelSerializable {}

  /** A plain class with a no-argument constructor, registered by config. */
  static final class Counter implements PelSerializable {
    int count;

    @Override
    public boolean equals(Object o) {
      return o instanceof Counter c && c.count == count;
    }

    @Override
    public int hashCode() {
      return count;
    }
  }

  /** Marked for PEL but never registered: writing it must fail by name. */
  record NotRegistered(int x) implements PelSerializable {}

  /** Never registered anywhere, and never constructed by any test. Its constructor counts, to prove the codec never builds one. */
  static final class NeverBuilt implements PelSerializable {
    static final AtomicInteger CONSTRUCTED = new AtomicInteger();

    NeverBuilt() {
      CONSTRUCTED.incrementAndGet();
    }
  }

  /** Registers {@link Receipt} with Kryo's default and {@link Money} with a custom serializer. */
  public static final class TestRegistrar implements KryoRegistrar {
    @Override
    public void registerClasses(Registrations registrations) {
      registrations.register(Receipt.class, 1000);
      registrations.register(Money.class, 1001, new MoneySerializer());
    }
  }

  /** Carries its value as the bytes {@link #codec} writes for it: a serializer that calls the codec while the codec writes. */
  record Sealed(Object inner) implements PelSerializable {
    /** The codec {@link SealedSerializer} calls; set by the test that uses it. */
    static volatile KryoCodec codec;
  }

  /** Registers {@link Sealed} with {@link SealedSerializer}. */
  public static final class SealedRegistrar implements KryoRegistrar {
    @Override
    public void registerClasses(Registrations registrations) {
      registrations.register(Sealed.class, 1002, new SealedSerializer());
    }
  }

  /** Writes a {@link Sealed} value through a second call of the same codec, on the same thread. */
  static final class SealedSerializer extends ImmutableSerializer<Sealed> {
    @Override
    public void write(Kryo kryo, Output output, Sealed sealed) {
      try {
        byte[] bytes = Sealed.codec.valueToBinary(sealed.inner());
        output.writeVarInt(bytes.length, true);
        output.writeBytes(bytes);
      } catch (java.io.NotSerializableException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public Sealed read(Kryo kryo, Input input, Class<? extends Sealed> type) {
      try {
        return new Sealed(Sealed.codec.valueFromBinary(input.readBytes(input.readVarInt(true))));
      } catch (java.io.NotSerializableException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Takes id 1000 again, for the clash test. */
  public static final class ClashingRegistrar implements KryoRegistrar {
    @Override
    public void registerClasses(Registrations registrations) {
      registrations.register(Point.class, 1000);
    }
  }

  /** Takes an id outside the registrar range. */
  public static final class OutOfRangeRegistrar implements KryoRegistrar {
    @Override
    public void registerClasses(Registrations registrations) {
      registrations.register(Point.class, 42);
    }
  }

  /** Writes money as "cents currency" so the test sees this serializer was used. */
  static final class MoneySerializer extends ImmutableSerializer<Money> {
    @Override
    public void write(Kryo kryo, Output output, Money money) {
      output.writeString(money.cents() + " " + money.currency());
    }

    @Override
    public Money read(Kryo kryo, Input input, Class<? extends Money> type) {
      String[] parts = input.readString().split(" ");
      return new Money(Long.parseLong(parts[0]), parts[1]);
    }
  }

  /** The classes the tests register through {@code pel.serialization.classes}, in order. */
  static final List<Class<?>> CONFIG_CLASSES = List.of(
      Point.class, Line.class, Order.class, Blob.class, Text.class, Holder.class, Priority.class,
      Operation.class, Counter.class, Ping.class);

  /** Config with {@link #CONFIG_CLASSES}, {@link TestRegistrar} and {@code overrides} over PEL's reference.conf. */
  static Config config(String overrides) {
    return ConfigFactory.parseString(overrides).withFallback(settings()).withFallback(ConfigFactory.defaultReference()).resolve();
  }

  /** Just the test's serialization settings: {@link #CONFIG_CLASSES} and {@link TestRegistrar}. */
  static Config settings() {
    StringBuilder classes = new StringBuilder();
    for (Class<?> type : CONFIG_CLASSES) classes.append('"').append(type.getName()).append("\", ");
    return ConfigFactory.parseString("pel.serialization.classes = [" + classes + "]\n"
        + "pel.serialization.registrars = [\"" + TestRegistrar.class.getName() + "\"]");
  }

  static KryoCodec codec() {
    return KryoCodec.fromConfig(config(""));
  }
}
