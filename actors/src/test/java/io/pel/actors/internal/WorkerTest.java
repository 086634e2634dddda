package io.pel.actors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pel.actors.TaskType;
import io.pel.actors.UnknownTaskTypeException;
import io.pel.cluster.PelNode;
import io.pel.cluster.PelSettings;
import io.pel.cluster.internal.ContainedValue;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** One routee, driven message by message: what it answers to work it cannot do. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerTest {

  private static final TaskType<Long, Long> DOUBLE = TaskType.of("double", Long.class, Long.class);

  private ActorTestKit testKit;
  private ActorRef<Worker.Command> worker;

  @BeforeAll
  void start() {
    testKit = ActorTestKit.create("WorkerTest", PelNode.config(ConfigFactory.empty(), Map.of()));
    PelSettings settings = PelSettings.fromConfig(testKit.system().settings().config());
    HandlerRegistry registry = new HandlerRegistry();
    registry.register(DOUBLE, () -> (n, ctx) -> 2 * n);
    NodeMetrics metrics = new NodeMetrics();
    var submitter = new TaskSubmitter(registry, new Admission(100), metrics, new RetryPolicy(settings.retry()));
    worker = testKit.spawn(Worker.create(new Worker.Environment(registry, submitter, metrics, settings)));
  }

  @AfterAll
  void stop() {
    testKit.shutdownTestKit();
  }

  private WorkSupervisor.Answered run(Task task) {
    TestProbe<WorkSupervisor.Command> supervisor = testKit.createTestProbe();
    worker.tell(new Worker.Run(task, supervisor.ref()));
    var answered = supervisor.expectMessageClass(WorkSupervisor.AttemptsAnswered.class);
    assertEquals(worker, answered.routee());
    return answered.answers().get(0);
  }

  @Test
  void aTypeThisNodeDoesNotKnowFailsRetryablySoAnotherRouteeGetsIt() {
    var answer = run(new Task(new TaskId(1, 1), "registered.elsewhere", null, 1L, 1));
    assertTrue(answer.failure().retryable(), "a node that has not registered it yet must not fail the task for good");
    var unknown = assertInstanceOf(UnknownTaskTypeException.class, answer.failure().cause());
    assertTrue(unknown.getMessage().contains("registered.elsewhere"), unknown.getMessage());
    assertEquals(4L, run(new Task(new TaskId(1, 2), "double", null, 2L, 1)).result(), "the routee goes on working");
  }

  @Test
  void anInputThatDidNotArriveFailsForGoodNamingWhy() {
    var lost = new ContainedValue.Unreadable("this node could not read it: Encountered unregistered class ID: 5001");
    var answer = run(new Task(new TaskId(1, 3), "double", null, lost, 1));
    assertNull(answer.result());
    assertTrue(!answer.failure().retryable());
    String message = answer.failure().cause().getMessage();
    assertTrue(message.contains("did not reach routee") && message.contains("class ID: 5001"), message);
    assertEquals(6L, run(new Task(new TaskId(1, 4), "double", null, 3L, 1)).result());
  }
}
