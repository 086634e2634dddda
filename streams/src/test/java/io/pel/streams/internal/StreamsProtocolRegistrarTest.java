package io.pel.streams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.pel.actors.internal.Task;
import io.pel.actors.internal.TaskId;
import io.pel.cluster.PelNode;
import java.io.NotSerializableException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every command and reply of the partition store through PEL's Kryo serializer, as they cross nodes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamsProtocolRegistrarTest {

  private ActorTestKit testKit;
  private Serialization serialization;

  @BeforeAll
  void start() {
    testKit = ActorTestKit.create("StreamsProtocolRegistrarTest", PelNode.config(ConfigFactory.empty(), Map.of()));
    serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
  }

  @AfterAll
  void stop() {
    testKit.shutdownTestKit();
  }

  /** Sends {@code payload} the way it crosses the wire: inside a task, written by Kryo. */
  private Object roundTrip(Object payload) throws NotSerializableException {
    Task task = new Task(new TaskId(1, 2), "pel.aggregate.test", "run-1/3", payload, 1);
    var serializer = serialization.findSerializerFor(task);
    assertEquals("io.pel.cluster.internal.KryoSerializer", serializer.getClass().getName());
    byte[] bytes = serialization.serialize(task).get();
    Task copy = (Task) serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, task)).get();
    return copy.payload();
  }

  @Test
  void everyCommandAndReplyRoundTrips() throws Exception {
    HashMap<Object, Object> entries = new HashMap<>(Map.of("a", 1L, "b", List.of(1, 2), 7, "seven"));
    List<Object> messages = List.of(
        new PartitionStore.Merge("run-1", 3, 42, entries),
        new PartitionStore.Drain("run-1", 3, true),
        new PartitionStore.Discard("run-1", 3),
        new PartitionStore.Drained(entries, 42),
        PartitionStore.Done.INSTANCE);
    for (Object message : messages) assertEquals(message, roundTrip(message));
  }
}
