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

  final ActorRef<Worker.Command> ref;
  final String name;
  final boolean local;
  /** Attempts it may hold at once. */
  final int cap;
  /** Stable across JVMs for the same routee path, so every supervisor hashes keys alike. */
  final long hash;
  int outstanding;
  long dispatched;
  /** Keyed tasks whose home is this routee, waiting for it to have room; FIFO keeps per-key order. */
  final ArrayDeque<TaskRecord> parked = new ArrayDeque<>();
  /** Its node is leaving: it gets no new work, but what it runs is still awaited. */
  boolean retiring;
  private final Map<String, double[]> serviceNanos = new HashMap<>();

  public RouteeState(ActorRef<Worker.Command> ref, String name, boolean local, int cap) {
    this.ref = ref;
    this.name = name;
    this.local = local;
    this.cap = cap;
    this.hash = Rendezvous.hash(name);
  }

  /** The moving average of this routee's service time for {@code type} in nanoseconds, or NaN if unknown. */
  double serviceNanos(String type) {
    double[] average = serviceNanos.get(type);
    return average == null ? Double.NaN : average[0];
  }

  /** When ({@link System#nanoTime}) the last sample for {@code type} came in; meaningless if none did. */
  long lastSampleNanos(String type) {
    double[] average = serviceNanos.get(type);
    return average == null ? 0 : (long) average[1];
  }

  public void recordService(String type, long nanos, double alpha) {
    double[] average = serviceNanos.get(type);
    if (average == null) serviceNanos.put(type, new double[] {nanos, System.nanoTime()});
    else {
      average[0] += alpha * (nanos - average[0]);
      average[1] = System.nanoTime();
    }
  }

  @Override
  public String toString() {
    return name + "(outstanding " + outstanding + ")";
  }
}
