package io.pel.actors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A leaving node's drain, driven message by message: a supervisor probe receives its Retire, the test
 * plays the routee's fence and the routees' answers, and a second probe hears each message the drain has
 * handled, so that the test changes the count only once the drain is waiting on it.
 */
class NodeDrainTest {

  private static final Duration LONG = Duration.ofSeconds(30);

  /** One per test, so that no test's supervisor is still registered in the next. */
  private ActorTestKit testKit;

  @BeforeEach
  void start() {
    testKit = ActorTestKit.create("NodeDrainTest");
  }

  @AfterEach
  void stop() {
    testKit.shutdownTestKit();
  }

  /** A drain of one routee with its supervisor registered, started; the caller plays the rest. */
  private final class Drain {
    final NodeMetrics metrics = new NodeMetrics();
    final TestProbe<Worker.Command> routee = testKit.createTestProbe();
    final TestProbe<WorkSupervisor.Command> supervisor = testKit.createTestProbe();
    final TestProbe<NodeDrain.Command> handled = testKit.createTestProbe();
    final CompletableFuture<Done> done = new CompletableFuture<>();
    ActorRef<NodeDrain.Command> drain;

    Drain(long running) {
      metrics.running.add(running);
      TestProbe<Receptionist.Registered> registered = testKit.createTestProbe();
      testKit.system().receptionist().tell(Receptionist.register(WorkSupervisor.SERVICE_KEY, supervisor.ref(), registered.ref()));
      registered.expectMessageClass(Receptionist.Registered.class);
      drain = testKit.spawn(Behaviors.intercept(() -> new Reporting(handled.ref()), NodeDrain.create(List.of(routee.ref()), metrics)));
      drain.tell(new NodeDrain.Start(done, LONG));
      WorkSupervisor.Retire retire = supervisor.expectMessageClass(WorkSupervisor.Retire.class);
      assertEquals(List.of(routee.ref()), retire.routees());
      assertEquals(drain, retire.replyTo());
    }

    /** The routee's fence for the supervisor, once the drain has handled it. */
    void fenceThrough() {
      NodeDrain.FenceReached fence = new NodeDrain.FenceReached(routee.ref(), supervisor.ref());
      drain.tell(fence);
      handled.fishForMessage(LONG, m -> m.equals(fence) ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
    }

    void awaitDrained() throws Exception {
      done.get(LONG.toSeconds(), TimeUnit.SECONDS);
    }
  }

  /** Tells {@code handled} of every message once the drain has handled it. */
  private static final class Reporting extends BehaviorInterceptor<NodeDrain.Command, NodeDrain.Command> {
    private final ActorRef<NodeDrain.Command> handled;

    Reporting(ActorRef<NodeDrain.Command> handled) {
      super(NodeDrain.Command.class);
      this.handled = handled;
    }

    @Override
    public Behavior<NodeDrain.Command> aroundReceive(
        TypedActorContext<NodeDrain.Command> ctx, NodeDrain.Command msg, ReceiveTarget<NodeDrain.Command> target) {
      Behavior<NodeDrain.Command> next = target.apply(ctx, msg);
      handled.tell(msg);
      return next;
    }
  }

  @Test
  void withNothingRunningTheLastFenceEndsTheDrain() throws Exception {
    Drain drain = new Drain(0);
    assertFalse(drain.done.isDone(), "a fence is still on its way");
    drain.fenceThrough();
    drain.awaitDrained();
  }

  @Test
  void withAttemptsUnansweredTheDrainEndsWithTheLastAnswer() throws Exception {
    Drain drain = new Drain(3);
    drain.fenceThrough();
    assertFalse(drain.done.isDone(), "three attempts unanswered");
    drain.metrics.running.add(-2);
    assertFalse(drain.done.isDone(), "one attempt unanswered");
    drain.metrics.running.add(-1);
    drain.awaitDrained();
  }

  @Test
  void aSupervisorThatIsGoneHasNoFenceToWaitFor() throws Exception {
    Drain drain = new Drain(1);
    drain.supervisor.stop();
    drain.metrics.running.decrement();
    drain.awaitDrained();
  }
}
