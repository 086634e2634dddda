package io.pel.actors.internal;

import io.pel.cluster.PelSettings;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Speculative execution: which running attempts straggle, how many duplicates run, and who won. Owned by
 * the supervisor actor and touched only in its handlers; time is passed in (the {@link AttemptClock}'s).
 *
 * <p>It watches only speculable tasks (their type is idempotent, or every type may be duplicated): a
 * task is watched from its first attempt until it settles or gets its one duplicate, so a tick looks at
 * the speculable tasks in flight and at nothing else. A straggler is an attempt that has run longer than
 * {@link Stragglers#thresholdNanos its type's threshold}; at most {@code max-in-flight} duplicates run at
 * once. Where a duplicate runs (an idle routee) is the supervisor's choice.
 */
final class Speculator {

  private final PelSettings.Speculation settings;
  private final Stragglers stragglers;
  private final NodeMetrics metrics;
  private final ArrayDeque<TaskRecord> watched = new ArrayDeque<>();
  private int inFlight;

  Speculator(PelSettings.Speculation settings, NodeMetrics metrics) {
    this.settings = settings;
    this.stragglers = new Stragglers(settings);
    this.metrics = metrics;
  }

  /** Whether speculation is on at all. */
  boolean enabled() {
    return settings.maxInFlight() > 0;
  }

  /** Whether {@code idempotent} tasks, or all, may get duplicates. */
  boolean speculable(boolean idempotent) {
    return enabled() && (idempotent || settings.allTypes());
  }

  /** An attempt of {@code task} was sent. */
  void sent(TaskRecord task) {
    if (task.speculable && !task.watched && task.speculativeAttempt == 0) {
      task.watched = true;
      watched.addLast(task);
    }
  }

  /**
   * Whether it watches any task, so that ticks have something to look at: true from the first speculable
   * attempt sent until a tick has found every watched task settled or duplicated.
   */
  boolean watching() {
    return !watched.isEmpty();
  }

  /** {@code task} succeeded with {@code attempt}, answered at {@code now}. */
  void succeeded(TaskRecord task, int attempt, long now) {
    if (!task.speculable) return;
    if (task.speculativeAttempt == 0) stragglers.record(task.type, now - task.sentNanos);
    else if (attempt >= task.speculativeAttempt) metrics.speculativeWins.increment();
  }

  /** {@code task} settled: its duplicate, if it had one, no longer counts. */
  void settled(TaskRecord task) {
    if (task.speculativeAttempt != 0) inFlight--;
  }

  /**
   * The running attempts that straggle at {@code now}, oldest first, no more than the duplicates that may
   * still start. Tasks settled meanwhile are forgotten here.
   */
  List<TaskRecord> stragglers(long now) {
    List<TaskRecord> late = new ArrayList<>();
    for (Iterator<TaskRecord> it = watched.iterator(); it.hasNext(); ) {
      TaskRecord task = it.next();
      if (task.state == TaskRecord.State.DONE || task.speculativeAttempt != 0) {
        task.watched = false;
        it.remove();
      } else if (inFlight + late.size() < settings.maxInFlight() && task.state == TaskRecord.State.RUNNING
          && now - task.sentNanos > stragglers.thresholdNanos(task.type)) {
        late.add(task);
      }
    }
    return late;
  }

  /** A duplicate of {@code task}'s current attempt was started (as attempt {@code task.attempt}). */
  void launched(TaskRecord task) {
    task.speculativeAttempt = task.attempt;
    inFlight++;
    metrics.speculativeLaunches.increment();
  }

  /** Duplicates running now. */
  int inFlight() {
    return inFlight;
  }

  /** Whether another duplicate may start. */
  boolean hasRoom() {
    return inFlight < settings.maxInFlight();
  }
}
