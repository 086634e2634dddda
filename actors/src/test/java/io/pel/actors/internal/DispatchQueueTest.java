package io.pel.actors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.cluster.PelSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The dispatch queue on its own: a lone task leaves at once, batches grow with the queue, keys keep their order. */
class DispatchQueueTest {

  private record Sent(RouteeState routee, List<TaskRecord> batch) {}

  private final List<Sent> sent = new ArrayList<>();
  private final DispatchQueue queue = new DispatchQueue(RoutingStrategy.of(PelSettings.Routing.ADAPTIVE, new SplittableRandom(7), () -> 0), (routee, batch) -> {
    for (TaskRecord t : batch) {
      t.state = TaskRecord.State.RUNNING;
      t.routee = routee;
      routee.outstanding++;
      routee.outstandingWeight += t.weight;
    }
    sent.add(new Sent(routee, List.copyOf(batch)));
  }, type -> type.startsWith("sync") ? RouteeState.Handling.ONE_AT_A_TIME : RouteeState.Handling.OVERLAPPING);
  private final RouteeState a = new RouteeState(null, "pekko://pel@127.0.0.1:1/user/worker-0", true, 0);
  private final RouteeState b = new RouteeState(null, "pekko://pel@127.0.0.1:1/user/worker-1", true, 0);
  private long seq;
  /** 10 us a task: a message carries TARGET_MESSAGE_NANOS / 10 us of them. */
  private static final long SERVICE_NANOS = 10_000;
  private static final int PER_MESSAGE = (int) (RouteeState.TARGET_MESSAGE_NANOS / SERVICE_NANOS);

  private TaskRecord task(String key) {
    return task("tiny", key);
  }

  private TaskRecord task(String type, String key) {
    return new TaskRecord(new TaskId(1, ++seq), type, key, seq, new TaskFuture(null));
  }

  private List<TaskRecord> add(int n, String key) {
    List<TaskRecord> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      TaskRecord t = task(key);
      tasks.add(t);
      queue.add(t);
    }
    return tasks;
  }

  @Test
  void onAnIdleLayerALoneTaskLeavesAtOnceAlone() {
    List<TaskRecord> one = add(1, null);
    queue.dispatch(List.of(a, b));
    assertEquals(1, sent.size());
    assertEquals(one, sent.get(0).batch());
    assertEquals(0, queue.size());
  }

  @Test
  void tasksThatQueueWhileTheRouteesAreFullLeaveTogetherWhenOneHasRoom() {
    a.recordService("tiny", SERVICE_NANOS, 0.2, 0);
    b.recordService("tiny", SERVICE_NANOS, 0.2, 0);
    a.outstanding = a.cap("tiny", RouteeState.Handling.OVERLAPPING);
    b.outstanding = b.cap("tiny", RouteeState.Handling.OVERLAPPING);
    assertEquals(2 * PER_MESSAGE, a.cap("tiny", RouteeState.Handling.OVERLAPPING), "two messages' worth");
    List<TaskRecord> waiting = add(150, null);
    queue.dispatch(List.of(a, b));
    assertTrue(sent.isEmpty(), "no routee has room: the tasks wait");
    a.outstanding = 0; // a answered everything it held
    queue.dispatch(List.of(a, b));
    assertEquals(1, sent.size(), "one message");
    assertEquals(waiting, sent.get(0).batch());
    assertEquals(a, sent.get(0).routee());
  }

  @Test
  void aBatchIsCappedByTheWorkAMessageShouldCarryAndABurstIsSharedByTheRouteesWithRoom() {
    a.recordService("tiny", SERVICE_NANOS, 0.2, 0);
    b.recordService("tiny", SERVICE_NANOS, 0.2, 0);
    add(5 * PER_MESSAGE, null);
    queue.dispatch(List.of(a, b));
    int total = sent.stream().mapToInt(s -> s.batch().size()).sum();
    assertEquals(4 * PER_MESSAGE, total, "each routee takes two messages' worth (its cap); the rest waits");
    assertTrue(sent.stream().allMatch(s -> s.batch().size() <= PER_MESSAGE), "a message's worth of work at most in one");
    assertEquals(2 * PER_MESSAGE, a.outstanding);
    assertEquals(2 * PER_MESSAGE, b.outstanding);
    assertEquals(PER_MESSAGE, queue.size());
  }

  @Test
  void aTaskTypeWhoseServiceTimeIsUnknownTravelsAloneUpToTheDefaultCap() {
    add(40, null);
    queue.dispatch(List.of(a));
    assertEquals(RouteeState.AUTO_CAP_FLOOR, sent.size());
    assertTrue(sent.stream().allMatch(s -> s.batch().size() == 1));
  }

  @Test
  void longTasksOfAHandlerThatRunsOneAtATimeWaitInTheQueueNotInARouteesMailbox() {
    long slow = 50_000_000; // 50 ms an attempt: each is more than a message's worth of work
    a.recordService("sync-slow", slow, 0.2, 0);
    b.recordService("sync-slow", slow, 0.2, 0);
    List<TaskRecord> tasks = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      TaskRecord t = task("sync-slow", null);
      tasks.add(t);
      queue.add(t);
    }
    queue.dispatch(List.of(a, b));
    assertEquals(2, a.outstanding, "one running and one waiting at each routee");
    assertEquals(2, b.outstanding);
    assertEquals(6, queue.size(), "the rest waits for whichever routee frees up first");
    // a finishes both of its attempts while b is still on its first: a takes the next two, b none.
    for (TaskRecord t : tasks) {
      if (t.routee == a) a.outstanding--;
    }
    sent.clear();
    queue.dispatch(List.of(a, b));
    assertEquals(2, a.outstanding);
    assertTrue(sent.stream().allMatch(s -> s.routee() == a), "the free routee takes the waiting work");
    assertEquals(4, queue.size());
  }

  @Test
  void anAsynchronousHandlerKeepsEnoughAttemptsInFlightToOverlapThem() {
    long slow = 50_000_000;
    a.recordService("async-slow", slow, 0.2, 0);
    assertEquals(RouteeState.AUTO_CAP_FLOOR, a.cap("async-slow", RouteeState.Handling.OVERLAPPING), "attempts that wait overlap at the routee");
    assertEquals(2, a.cap("async-slow", RouteeState.Handling.ONE_AT_A_TIME));
    assertEquals(2, a.cap("never-seen", RouteeState.Handling.ONE_AT_A_TIME), "one running, one waiting until the service time is known");
    a.recordService("sync-ms", 1_000_000, 0.2, 0); // 1 ms: a message carries four
    assertEquals(8, a.cap("sync-ms", RouteeState.Handling.ONE_AT_A_TIME), "two messages' worth, below the floor asynchronous handlers get");
  }

  @Test
  void aRouteeOnAnotherNodeHoldsEnoughOfAOneAtATimeTypeToHideTheRoundTrip() {
    RouteeState remote = new RouteeState(null, "pekko://pel@127.0.0.1:2/user/worker-0", false, 0);
    remote.recordService("sync-ms", 1_000_000, 0.2, 0); // 1 ms an attempt
    assertEquals((int) (RouteeState.REMOTE_QUEUE_NANOS / 1_000_000), remote.cap("sync-ms", RouteeState.Handling.ONE_AT_A_TIME));
    remote.recordService("sync-slow", 50_000_000, 0.2, 0);
    assertEquals(2, remote.cap("sync-slow", RouteeState.Handling.ONE_AT_A_TIME));
    assertEquals(RouteeState.AUTO_REMOTE_CAP_FLOOR, remote.cap("sync-slow", RouteeState.Handling.OVERLAPPING));
  }

  @Test
  void keyedTasksWaitAtTheirHomeRouteeAndLeaveInOrderInBatches() {
    a.recordService("tiny", SERVICE_NANOS, 0.2, 0);
    b.recordService("tiny", SERVICE_NANOS, 0.2, 0);
    RouteeState home = Rendezvous.pick(task("k").keyHash, List.of(a, b), null);
    home.outstanding = home.cap("tiny", RouteeState.Handling.OVERLAPPING);
    List<TaskRecord> keyed = add(50, "k");
    queue.dispatch(List.of(a, b));
    assertTrue(sent.isEmpty(), "the key's routee is full: its tasks wait for it, not for another");
    assertEquals(50, home.parked.size());
    home.outstanding = 0;
    queue.resume(home);
    assertEquals(1, sent.size());
    assertEquals(keyed, sent.get(0).batch(), "one message, in submission order");
  }

  @Test
  void tasksSettledWhileTheyWaitAreSkipped() {
    List<TaskRecord> tasks = add(3, null);
    tasks.get(1).state = TaskRecord.State.DONE;
    for (int i = 0; i < 3; i++) queue.dispatch(List.of(a));
    List<TaskRecord> out = sent.stream().flatMap(s -> s.batch().stream()).toList();
    assertEquals(List.of(tasks.get(0), tasks.get(2)), out);
  }
}
