package io.pel.actors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pel.actors.RemoteTaskException;
import io.pel.cluster.PelNode;
import io.pel.cluster.internal.ContainedValue;
import io.pel.cluster.internal.KryoCodec;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every message of the actors protocol through the real serializer, as it crosses between nodes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolRegistrarTest {

  private ActorTestKit testKit;
  private Serialization serialization;

  @BeforeAll
  void start() {
    testKit = ActorTestKit.create("ProtocolRegistrarTest", PelNode.config(ConfigFactory.empty(), Map.of()));
    serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
  }

  @AfterAll
  void stop() {
    testKit.shutdownTestKit();
  }

  private Object roundTrip(Object message) throws NotSerializableException {
    var serializer = serialization.findSerializerFor(message);
    assertEquals("io.pel.cluster.internal.KryoSerializer", serializer.getClass().getName());
    byte[] bytes = serialization.serialize(message).get();
    return serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, message)).get();
  }

  @Test
  void everyProtocolMessageRoundTrips() throws Exception {
    TestProbe<Worker.Command> worker = testKit.createTestProbe();
    TestProbe<WorkSupervisor.Command> supervisor = testKit.createTestProbe();
    TaskId id = new TaskId(0x1234_5678_9abcL, 42);
    Task task = new Task(id, "price", "account-7", List.of("a", 1, 2.5), 3);
    Worker.Run run = new Worker.Run(task, supervisor.ref());
    var answered = new WorkSupervisor.Answered(id, 3, 99L, null, 1_500_000L);
    var succeeded = new WorkSupervisor.AttemptsAnswered(worker.ref(), List.of(answered, new WorkSupervisor.Answered(id, 4, null, null, 7)));

    assertEquals(id, roundTrip(id));
    assertEquals(task, roundTrip(task));
    assertEquals(run, roundTrip(run));
    assertEquals(succeeded, roundTrip(succeeded));
    var all = new Worker.RunAll(List.of(task, new Task(new TaskId(1, 2), "t", null, 5L, 1)), supervisor.ref());
    assertEquals(all, roundTrip(all));
    TestProbe<NodeDrain.Command> drain = testKit.createTestProbe();
    assertEquals(new Worker.Fence(supervisor.ref(), drain.ref()), roundTrip(new Worker.Fence(supervisor.ref(), drain.ref())));
    var retire = new WorkSupervisor.Retire(List.of(worker.ref()), drain.ref());
    assertEquals(retire, roundTrip(retire));
    assertEquals(new Task(id, "t", null, "payload", 1), roundTrip(new Task(id, "t", null, "payload", 1)));

    ArrayList<Object> inputs = new ArrayList<>(List.of(1, 2, 3));
    Batch batch = new Batch(inputs);
    assertEquals(batch, roundTrip(batch));
    ArrayList<Object> results = new ArrayList<>(Arrays.asList(1L, null, null));
    ArrayList<FailureReport> failures = new ArrayList<>(Arrays.asList(
        null, FailureReport.permanent(new IllegalStateException("bad element")), null));
    Batch.Result answer = (Batch.Result) roundTrip(new Batch.Result(id.toString(), results, failures, 2));
    assertEquals(Arrays.asList(1L, null, null), answer.results());
    assertEquals(2, answer.ran());
    RemoteTaskException remote = assertInstanceOf(RemoteTaskException.class, answer.failures().get(1).cause());
    assertEquals("java.lang.IllegalStateException", remote.originalClass());

    Worker.Run copy = (Worker.Run) roundTrip(run);
    copy.replyTo().tell(succeeded);
    supervisor.expectMessage(succeeded);
  }

  @Test
  void aFailureCrossesAsADescriptionNeverAsTheExceptionObject() throws Exception {
    IllegalStateException original = new IllegalStateException("ledger out of balance");
    var failed = new WorkSupervisor.Answered(new TaskId(1, 2), 1, null, new FailureReport(original, true, false), 10);

    var copy = (WorkSupervisor.Answered) roundTrip(failed);
    RemoteTaskException remote = assertInstanceOf(RemoteTaskException.class, copy.failure().cause());
    assertEquals("java.lang.IllegalStateException", remote.originalClass());
    assertEquals("java.lang.IllegalStateException: ledger out of balance", remote.getMessage());
    StackTraceElement[] sent = original.getStackTrace();
    // Class, method, file and line cross; class-loader and module names do not.
    assertEquals(
        Arrays.stream(sent).limit(ProtocolRegistrar.MAX_FRAMES).map(ProtocolRegistrarTest::frame).toList(),
        Arrays.stream(remote.getStackTrace()).map(ProtocolRegistrarTest::frame).toList());
    assertTrue(copy.failure().retryable());

    // Sent on again (a re-dispatched failure), it keeps the original class name, not RemoteTaskException.
    var twice = (WorkSupervisor.Answered) roundTrip(copy);
    assertEquals("java.lang.IllegalStateException", ((RemoteTaskException) twice.failure().cause()).originalClass());
    assertEquals(remote.getMessage(), twice.failure().cause().getMessage());
  }

  private static String frame(StackTraceElement e) {
    return e.getClassName() + "." + e.getMethodName() + "(" + e.getFileName() + ":" + e.getLineNumber() + ")";
  }

  @Test
  void aDeepStackTraceIsCutAndANullMessageKept() throws Exception {
    RuntimeException deep = new RuntimeException((String) null);
    StackTraceElement frame = new StackTraceElement("C", "m", "C.java", 1);
    StackTraceElement[] frames = new StackTraceElement[500];
    Arrays.fill(frames, frame);
    deep.setStackTrace(frames);
    var copy = (FailureReport) roundTrip(new FailureReport(deep, false, true));
    assertEquals(ProtocolRegistrar.MAX_FRAMES, copy.cause().getStackTrace().length);
    assertEquals("java.lang.RuntimeException", copy.cause().getMessage());
    assertTrue(copy.fatal());
  }

  record Secret(String value) {}

  @Test
  void aPayloadTheSenderCannotWriteFailsThatTaskAloneNamingIt() throws Exception {
    Task bad = new Task(new TaskId(1, 1), "t", null, new Secret("x"), 1);
    Task good = new Task(new TaskId(1, 2), "t", "key", 42L, 1);
    TestProbe<WorkSupervisor.Command> supervisor = testKit.createTestProbe();

    var copy = (Worker.RunAll) roundTrip(new Worker.RunAll(List.of(bad, good), supervisor.ref()));
    var unreadable = assertInstanceOf(ContainedValue.Unreadable.class, copy.tasks().get(0).payload());
    assertTrue(unreadable.reason().contains(Secret.class.getName()) && unreadable.reason().contains("not registered"), unreadable.reason());
    assertEquals(bad.id(), copy.tasks().get(0).id());
    assertEquals(good, copy.tasks().get(1));
  }

  @Test
  void aPayloadClassTheReceiverHasNotRegisteredIsRefusedWhileTheRestOfTheMessageArrives() throws Exception {
    String protocol = "pel.serialization.module-registrars.actors = \"" + ProtocolRegistrar.class.getName() + "\"\n";
    KryoCodec sender = KryoCodec.fromConfig(ConfigFactory.parseString(
        protocol + "pel.serialization.classes = [\"" + Secret.class.getName() + "\"]").withFallback(ConfigFactory.load()));
    KryoCodec receiver = KryoCodec.fromConfig(ConfigFactory.parseString(protocol).withFallback(ConfigFactory.load()));
    List<Task> tasks = List.of(
        new Task(new TaskId(1, 1), "t", null, 1L, 1),
        new Task(new TaskId(1, 2), "t", null, new Secret("never built here"), 1),
        new Task(new TaskId(1, 3), "t", null, List.of("x", 3), 2));

    @SuppressWarnings("unchecked")
    List<Task> received = (List<Task>) receiver.fromBinary(sender.toBinary(tasks), sender.manifest(tasks));
    assertEquals(tasks.get(0), received.get(0));
    assertEquals(tasks.get(2), received.get(2));
    var unreadable = assertInstanceOf(ContainedValue.Unreadable.class, received.get(1).payload());
    assertTrue(unreadable.reason().contains("unregistered class ID: 5000"), unreadable.reason());
  }

  @Test
  void manyTasksCrossByColumnWhateverTheyShare() throws Exception {
    TestProbe<WorkSupervisor.Command> supervisor = testKit.createTestProbe();
    TestProbe<Worker.Command> worker = testKit.createTestProbe();
    List<Task> same = new ArrayList<>();
    for (int i = 0; i < 1024; i++) same.add(new Task(new TaskId(0x1234_5678_9abcL, 1_000_000 + i), "bench.remote-submit", null, (long) i, 1));
    var all = new Worker.RunAll(same, supervisor.ref());
    assertEquals(all, roundTrip(all));
    // What they share is written once: the type name and the node do not cost every task again, nor does
    // the class of their Long payloads (written bare: a sequence difference, an attempt and a value of 1-2 bytes).
    int bytes = serialization.serialize(all).get().length;
    assertTrue(bytes < 1024 * 5, "1,024 tasks of one type in " + bytes + " bytes");

    // Values of each bare kind, and kinds mixed (contained, each with its class).
    for (List<Object> values : List.<List<Object>>of(List.of(1, -2, Integer.MAX_VALUE), List.of(0.5, -1e300, Double.NaN),
        List.of("", "été ✓", "x".repeat(300)), List.of(Long.MIN_VALUE, -1L, Long.MAX_VALUE), List.of(1L, 2, "3"),
        List.of("a", List.of("b")))) {
      List<Task> tasks = new ArrayList<>();
      List<WorkSupervisor.Answered> results = new ArrayList<>();
      for (int i = 0; i < values.size(); i++) {
        tasks.add(new Task(new TaskId(3, i), "t", null, values.get(i), 1));
        results.add(new WorkSupervisor.Answered(new TaskId(3, i), 1, values.get(i), null, 9));
      }
      assertEquals(new Worker.RunAll(tasks, supervisor.ref()), roundTrip(new Worker.RunAll(tasks, supervisor.ref())), values.toString());
      assertEquals(new WorkSupervisor.AttemptsAnswered(worker.ref(), results),
          roundTrip(new WorkSupervisor.AttemptsAnswered(worker.ref(), results)), values.toString());
    }

    // Sequence numbers out of order (a retry among fresh tasks), nodes, types and shard keys that differ.
    List<Task> mixed = List.of(
        new Task(new TaskId(1, 500), "a", null, 1L, 1),
        new Task(new TaskId(1, 3), "a", "key", "x", 2),
        new Task(new TaskId(2, 501), "b", null, List.of(1, 2), 1),
        new Task(new TaskId(-1, Long.MAX_VALUE), "a", "", null, 7));
    assertEquals(new Worker.RunAll(mixed, supervisor.ref()), roundTrip(new Worker.RunAll(mixed, supervisor.ref())));
    assertEquals(new Worker.RunAll(List.of(), supervisor.ref()), roundTrip(new Worker.RunAll(List.of(), supervisor.ref())));

    List<WorkSupervisor.Answered> answers = new ArrayList<>();
    for (int i = 0; i < 1024; i++) answers.add(new WorkSupervisor.Answered(new TaskId(7, 90 + i), 1, (long) i * 31, null, 250 + i));
    var answered = new WorkSupervisor.AttemptsAnswered(worker.ref(), answers);
    assertEquals(answered, roundTrip(answered));
    var failure = new WorkSupervisor.Answered(new TaskId(8, 2), 3, null, FailureReport.permanent(new IllegalStateException("no")), 1);
    var mixedAnswers = new WorkSupervisor.AttemptsAnswered(worker.ref(), List.of(answers.get(5), failure, answers.get(1)));
    var copy = (WorkSupervisor.AttemptsAnswered) roundTrip(mixedAnswers);
    assertEquals(List.of(answers.get(5), answers.get(1)), List.of(copy.answers().get(0), copy.answers().get(2)));
    assertEquals(new TaskId(8, 2), copy.answers().get(1).id());
    assertEquals("java.lang.IllegalStateException", ((RemoteTaskException) copy.answers().get(1).failure().cause()).originalClass());
  }

  @Test
  void aCorruptManyTaskMessageIsRefusedNamingWhatIsWrongAndAllocatesNothingForItsCount() throws Exception {
    TestProbe<WorkSupervisor.Command> supervisor = testKit.createTestProbe();
    var all = new Worker.RunAll(List.of(new Task(new TaskId(1, 1), "t", null, 1L, 1), new Task(new TaskId(1, 2), "t", null, 2L, 1)),
        supervisor.ref());
    var serializer = serialization.findSerializerFor(all);
    String manifest = Serializers.manifestFor(serializer, all);
    byte[] bytes = serialization.serialize(all).get();
    int countAt = countOffset(bytes, all);

    byte[] huge = Arrays.copyOf(bytes, bytes.length + 4);
    // A varint count of 2^28 - 1 in place of 2, the rest shifted on.
    System.arraycopy(bytes, countAt + 1, huge, countAt + 4, bytes.length - countAt - 1);
    huge[countAt] = (byte) 0xff;
    huge[countAt + 1] = (byte) 0xff;
    huge[countAt + 2] = (byte) 0xff;
    huge[countAt + 3] = (byte) 0x7f;
    Throwable refused = serialization.deserialize(huge, serializer.identifier(), manifest).failed().get();
    assertTrue(refused.getMessage().contains("RunAll of 268435455 tasks"), refused.getMessage());

    for (int wrong : new int[] {0x08, 0x48, 0x50, 0x70, 0x80}) { // a flag of no meaning; value kinds 5 and 7; the top bit
      byte[] flags = bytes.clone();
      flags[countAt + 1] = (byte) (bytes[countAt + 1] & 0x07 | wrong);
      refused = serialization.deserialize(flags, serializer.identifier(), manifest).failed().get();
      assertTrue(refused.getMessage().contains("unknown column flags"), Integer.toHexString(wrong) + ": " + refused.getMessage());
    }

    for (int cut = countAt; cut < bytes.length; cut += 3) {
      byte[] truncated = Arrays.copyOf(bytes, cut);
      assertTrue(serialization.deserialize(truncated, serializer.identifier(), manifest).isFailure(), "cut at " + cut);
    }
  }

  /** Where the task count of {@code all}'s bytes is: right after its reply-to reference, found by writing one without tasks. */
  private int countOffset(byte[] bytes, Worker.RunAll all) {
    byte[] empty = serialization.serialize(new Worker.RunAll(List.of(), all.replyTo())).get();
    int at = empty.length - 1; // the empty message ends with its count, 0
    assertEquals(0, empty[at]);
    assertEquals(all.tasks().size(), bytes[at]);
    return at;
  }
}
