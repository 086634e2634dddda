package io.pel.actors.internal;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What a supervisor knows of one routee: its tasks outstanding, its learned service time per task type,
 * and the keyed tasks waiting for it. Owned and touched by the supervisor actor only. Public, with its
 * constructor and {@link #recordService}, only for pel-bench's JMH benchmarks; not API.
 */
public final class RouteeState {

  /**
   * Routee work per message: enough that the message's cost and the wake-ups of its round trip (which take
   * a busy routee off its core for a while) are a few per cent of it.
   */
  static final long TARGET_MESSAGE_NANOS = 4_000_000;
  /** The most attempts in one message. */
  static final int MAX_PER_MESSAGE = 1024;
  /** The least a routee may hold when its cap is not set: enough for asynchronous handlers to overlap. */
  static final int AUTO_CAP_FLOOR = 16;
  /** The same for a routee on another node: enough to hide a network round trip. */
  static final int AUTO_REMOTE_CAP_FLOOR = 256;
  /**
   * Work a routee on another node holds beyond what it runs when its handler runs one attempt at a time:
   * more than a loaded loopback round trip took at p99 (7 ms), bounded by {@link #AUTO_REMOTE_CAP_FLOOR} attempts.
   */
  static final long REMOTE_QUEUE_NANOS = 20_000_000;

  final ActorRef<Worker.Command> ref;
  final String name;
  final boolean local;
  /** Attempts it may hold at once as set ({@code max-in-flight-per-worker}), or 0 to follow {@link #cap(String, Handling)}'s rule. */
  final int fixedCap;
  /** Stable across JVMs for the same routee path, so every supervisor hashes keys alike. */
  final long hash;
  int outstanding;
  /** Of {@link #outstanding}, the attempts of blocking types, which run on its node's blocking pool. */
  int pooledOutstanding;
  /** The elements of its outstanding attempts (a batch counts its size): what adaptive routing weighs. */
  long outstandingWeight;
  long dispatched;
  /** Keyed tasks whose home is this routee, waiting for it to have room; FIFO keeps per-key order. */
  final ArrayDeque<TaskRecord> parked = new ArrayDeque<>();
  /** Its node is leaving: it gets no new work, but what it runs is still awaited. */
  boolean retiring;
  private final Map<String, double[]> serviceNanos = new HashMap<>();
  /** The last type looked up and its average: one type at a time is the common case, and costs no hashing. */
  private String lastType;
  private double[] lastAverage;

  /** @param fixedCap the attempts it may hold at once, or 0 for two messages' worth (at least {@value #AUTO_CAP_FLOOR}) */
  public RouteeState(ActorRef<Worker.Command> ref, String name, boolean local, int fixedCap) {
    this.ref = ref;
    this.name = name;
    this.local = local;
    this.fixedCap = fixedCap;
    this.hash = Rendezvous.hash(name);
  }

  /** How a routee runs the attempts of a task type, which decides how many it should hold. */
  enum Handling {
    /** A synchronous handler on the routee: one after the other. */
    ONE_AT_A_TIME,
    /** An asynchronous handler: its attempts overlap. */
    OVERLAPPING,
    /** A blocking handler: the routee hands its attempts to the node's elastic blocking pool. */
    POOLED
  }

  /**
   * Attempts it may hold at once while tasks of {@code type} wait: as set, or two messages' worth (one
   * running, one waiting in its mailbox). An asynchronous handler overlaps its attempts, so it gets at least
   * {@value #AUTO_CAP_FLOOR} ({@value #AUTO_REMOTE_CAP_FLOOR} on another node, to hide a network round trip).
   * A blocking handler's attempts go to its node's blocking pool, which grows while they wait there, so it
   * gets {@value #AUTO_REMOTE_CAP_FLOOR} on any node: the pool must see the backlog to grow for it.
   * A handler that runs {@code ONE_AT_A_TIME} gets only the two messages' worth, and until its service time is
   * known two attempts: whatever waits in a routee's mailbox is bound to that routee, while what waits in
   * the supervisor goes to whichever routee frees up first, so a backlog of long attempts bound early would
   * leave one routee idle at the end while another still works through its queue. On another node it gets
   * at least {@link #REMOTE_QUEUE_NANOS} of work, to hide the round trip.
   */
  int cap(String type, Handling handling) {
    if (fixedCap > 0) return fixedCap;
    int twoMessages = 2 * batchLimit(type);
    if (handling == Handling.POOLED) return Math.max(AUTO_REMOTE_CAP_FLOOR, twoMessages);
    if (handling == Handling.OVERLAPPING) return Math.max(local ? AUTO_CAP_FLOOR : AUTO_REMOTE_CAP_FLOOR, twoMessages);
    double nanos = serviceNanos(type);
    if (Double.isNaN(nanos)) return 2;
    if (local) return twoMessages;
    return Math.max(twoMessages, (int) Math.min(AUTO_REMOTE_CAP_FLOOR, Math.ceil(REMOTE_QUEUE_NANOS / Math.max(1.0, nanos))));
  }

  /**
   * Its attempts that count against the cap of a type in the lane given: those of blocking types for a
   * blocking type, the others for any other. Attempts on the blocking pool do not hold the routee itself, so
   * they leave its room for CPU-bound types alone, and the reverse.
   */
  int inFlight(boolean pooled) {
    return pooled ? pooledOutstanding : outstanding - pooledOutstanding;
  }

  /** The most attempts of {@code type} to send it in one message: about {@link #TARGET_MESSAGE_NANOS} of its work. */
  int batchLimit(String type) {
    double nanos = serviceNanos(type);
    if (Double.isNaN(nanos)) return 1;
    return (int) Math.max(1, Math.min(MAX_PER_MESSAGE, Math.ceil(TARGET_MESSAGE_NANOS / Math.max(1.0, nanos))));
  }

  /** The moving average of this routee's service time per element of {@code type} in nanoseconds, or NaN if unknown. */
  double serviceNanos(String type) {
    double[] average = average(type);
    return average == null ? Double.NaN : average[0];
  }

  /** When (on the supervisor's clock) the last sample for {@code type} came in; meaningless if none did. */
  long lastSampleNanos(String type) {
    double[] average = average(type);
    return average == null ? 0 : (long) average[1];
  }

  private double[] average(String type) {
    if (type == lastType) return lastAverage;
    double[] average = serviceNanos.get(type);
    if (average != null) {
      lastType = type;
      lastAverage = average;
    }
    return average;
  }

  /** One sample of {@code nanos} per element of {@code type}, come in at {@code now} on the supervisor's clock. */
  public void recordService(String type, long nanos, double alpha, long now) {
    double[] average = average(type);
    if (average == null) serviceNanos.put(type, new double[] {nanos, now});
    else {
      average[0] += alpha * (nanos - average[0]);
      average[1] = now;
    }
  }

  @Override
  public String toString() {
    return name + "(outstanding " + outstanding + ")";
  }
}
