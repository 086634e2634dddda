package io.pel.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.pel.cluster.PelNode;
import io.pel.cluster.internal.TestMessages.Holder;
import io.pel.cluster.internal.TestMessages.Ping;
import java.io.NotSerializableException;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The serializer inside a real actor system configured as in production: cluster provider, Artery TCP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KryoSerializerTest {

  private ActorTestKit testKit;
  private Serialization serialization;

  @BeforeAll
  void start() {
    Config config = PelNode.config(
        ConfigFactory.parseString("pekko.actor.serialize-messages = on").withFallback(TestMessages.settings()), Map.of());
    testKit = ActorTestKit.create("KryoSerializerTest", config);
    serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
  }

  @AfterAll
  void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void pelMessagesAreBoundToKryoSerializer() throws Exception {
    Serializer serializer = serialization.serializerFor(Ping.class);
    assertInstanceOf(KryoSerializer.class, serializer);
    assertEquals(KryoSerializer.IDENTIFIER, serializer.identifier());
    assertInstanceOf(KryoSerializer.class, serialization.findSerializerFor(new Holder(1)));
  }

  @Test
  void recordHoldingAnActorRefRoundTripsAndTheRefStillReachesItsActor() {
    TestProbe<String> replies = testKit.createTestProbe();
    Ping ping = new Ping("hello", replies.ref());
    Serializer serializer = serialization.findSerializerFor(ping);
    byte[] bytes = serialization.serialize(ping).get();
    String manifest = Serializers.manifestFor(serializer, ping);

    Ping back = (Ping) serialization.deserialize(bytes, serializer.identifier(), manifest).get();

    assertEquals(ping, back);
    back.replyTo().tell("pong");
    replies.expectMessage("pong");
  }

  @Test
  void classicActorRefRoundTrips() {
    TestProbe<String> probe = testKit.createTestProbe();
    Holder holder = new Holder(List.of(Adapter.toClassic(probe.ref())));
    byte[] bytes = serialization.serialize(holder).get();
    Object back = serialization.deserialize(bytes, KryoSerializer.IDENTIFIER, Holder.class.getName()).get();
    assertEquals(holder, back);
  }

  @Test
  void messagesSentLocallyGoThroughKryoWhenSerializeMessagesIsOn() {
    TestProbe<Ping> pings = testKit.createTestProbe();
    TestProbe<String> replies = testKit.createTestProbe();
    Ping ping = new Ping("over the wire", replies.ref());
    pings.ref().tell(ping);
    Ping received = pings.receiveMessage();
    assertNotSame(ping, received, "serialize-messages delivered a copy made by the serializer");
    assertEquals(ping, received);
    received.replyTo().tell("ack");
    replies.expectMessage("ack");
  }

  @Test
  void unregisteredManifestFailsTheDeserializationByName() {
    var result = serialization.deserialize(new byte[] {1}, KryoSerializer.IDENTIFIER, "java.lang.ProcessBuilder");
    assertTrue(result.isFailure());
    Throwable failure = result.failed().get();
    assertInstanceOf(NotSerializableException.class, failure);
    assertTrue(failure.getMessage().contains("java.lang.ProcessBuilder"), failure.getMessage());
  }
}
