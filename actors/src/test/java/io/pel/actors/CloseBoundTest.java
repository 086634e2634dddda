package io.pel.actors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;

/**
 * {@code close()} returns once the node has left, even when its actor system's termination does not
 * complete: Artery's TLS transport can wait for a peer to close its connection, and a close must not hang on
 * it. Here an actor that does not stop holds the termination instead, which is the same wait, made certain.
 */
class CloseBoundTest {

  @Test
  void closeReturnsAfterTheTerminatePhaseWhenTheSystemDoesNotTerminate() throws Exception {
    ExecutionLayer layer = Layers.start("pekko.coordinated-shutdown.phases.actor-system-terminate.timeout = 1s");
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch stopping = new CountDownLatch(1);
    Behavior<Void> stubborn = Behaviors.receive(Void.class).onSignal(PostStop.class, stop -> {
      stopping.countDown();
      release.await(); // the termination waits for this actor to stop
      return Behaviors.same();
    }).build();
    layer.system().systemActorOf(stubborn, "stubborn", Props.empty());
    try {
      CompletableFuture<Void> closing = CompletableFuture.runAsync(layer::close);
      closing.get(Layers.WAIT.toSeconds(), TimeUnit.SECONDS); // a TimeoutException fails the test: close hung
      assertTrue(stopping.await(0, TimeUnit.SECONDS), "the system was terminating when close returned");
      assertFalse(layer.system().whenTerminated().isCompleted(), "close returned before the termination completed");
      assertTrue(layer.whenStopped().toCompletableFuture().isDone(), "the node counts as stopped");
    } finally {
      release.countDown();
    }
    Layers.await(layer.system().getWhenTerminated());
  }
}
