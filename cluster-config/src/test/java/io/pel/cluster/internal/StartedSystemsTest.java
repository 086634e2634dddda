package io.pel.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.typesafe.config.ConfigFactory;
import io.pel.cluster.PelNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;

class StartedSystemsTest {

  @Test
  void aListenerSeesRunningAndLaterSystemsOnceAndTerminatedOnesLeave() throws Exception {
    ActorSystem<Void> first = PelNode.start(Behaviors.empty(), PelNode.config(ConfigFactory.empty(), Map.of()));
    ActorSystem<Void> second = null;
    try {
      List<ActorSystem<?>> seen = new CopyOnWriteArrayList<>();
      StartedSystems.onStart(seen::add);
      assertEquals(1, seen.size());
      assertSame(first, seen.get(0));

      second = PelNode.start(Behaviors.empty(), PelNode.config(ConfigFactory.empty(), Map.of()));
      assertEquals(2, seen.size());
      assertSame(second, seen.get(1));
      assertEquals(2, StartedSystems.running().size());

      first.terminate();
      first.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(1, StartedSystems.running().size());
      assertSame(second, StartedSystems.running().get(0));
    } finally {
      first.terminate();
      if (second != null) second.terminate();
    }
  }
}
