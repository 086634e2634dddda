package io.pel.actors.internal.jobs;

import io.pel.actors.JobState;
import io.pel.actors.JobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A job coordinator's state, rebuilt from its events: the inputs of the tasks still to run and the
 * outcomes of those done. Mutable for a job of many tasks, so only the coordinator's event handler
 * changes it, and a snapshot is a copy ({@link Snapshot}) taken on the coordinator's thread.
 */
final class JobRecord {

  String type;
  long digest;
  long acceptedAt;
  JobState state; // null: no job accepted under this id
  long finishedAt;
  boolean compacted;
  int total;
  int succeeded;
  int failed;
  byte[][] inputs; // an entry is dropped once its task has an outcome
  Outcome[] outcomes;

  boolean exists() {
    return state != null;
  }

  boolean running() {
    return state == JobState.RUNNING;
  }

  void accept(String type, List<byte[]> inputs, long digest, long at) {
    this.type = type;
    this.digest = digest;
    this.acceptedAt = at;
    this.state = JobState.RUNNING;
    this.total = inputs.size();
    this.inputs = inputs.toArray(new byte[0][]);
    this.outcomes = new Outcome[total];
  }

  void complete(Outcome outcome) {
    int i = outcome.index();
    if (i < 0 || i >= total || outcomes[i] != null) return;
    outcomes[i] = outcome;
    inputs[i] = null;
    if (outcome.succeeded()) succeeded++;
    else failed++;
  }

  boolean done(int index) {
    return outcomes[index] != null;
  }

  boolean allDone() {
    return succeeded + failed == total;
  }

  void finish(JobState state, long at) {
    this.state = state;
    this.finishedAt = at;
    this.inputs = new byte[total][];
  }

  void compact() {
    compacted = true;
    inputs = null;
    outcomes = null;
  }

  JobStatus status(String jobId, String node) {
    return new JobStatus(jobId, type, state, total, succeeded, failed, Instant.ofEpochMilli(acceptedAt),
        state.isFinished() ? Instant.ofEpochMilli(finishedAt) : null, compacted, node);
  }

  /** The outcomes so far, in index order. */
  List<Outcome> doneOutcomes() {
    List<Outcome> done = new ArrayList<>(succeeded + failed);
    if (outcomes != null) for (Outcome o : outcomes) if (o != null) done.add(o);
    return done;
  }

  /**
   * What a snapshot stores: the record without its empty slots.
   *
   * @param pending the indices of the tasks without an outcome, with their inputs in {@code inputs}
   */
  record Snapshot(String type, long digest, long acceptedAt, JobState state, long finishedAt, boolean compacted,
      int total, int succeeded, int failed, int[] pending, List<byte[]> inputs, List<Outcome> outcomes) {}

  Snapshot snapshot() {
    if (!exists()) return new Snapshot("", 0, 0, null, 0, false, 0, 0, 0, new int[0], List.of(), List.of());
    List<byte[]> pendingInputs = new ArrayList<>();
    int[] pending = new int[compacted ? 0 : total - succeeded - failed];
    int n = 0;
    if (!compacted) {
      for (int i = 0; i < total; i++) {
        if (outcomes[i] == null) {
          pending[n++] = i;
          pendingInputs.add(inputs[i] == null ? new byte[0] : inputs[i]);
        }
      }
    }
    return new Snapshot(type, digest, acceptedAt, state, finishedAt, compacted, total, succeeded, failed, pending, pendingInputs, doneOutcomes());
  }

  static JobRecord fromSnapshot(Snapshot s) {
    JobRecord r = new JobRecord();
    if (s.state() == null) return r;
    r.type = s.type();
    r.digest = s.digest();
    r.acceptedAt = s.acceptedAt();
    r.state = s.state();
    r.finishedAt = s.finishedAt();
    r.total = s.total();
    if (s.compacted()) {
      r.compacted = true;
      r.succeeded = s.succeeded();
      r.failed = s.failed();
      return r;
    }
    r.inputs = new byte[r.total][];
    r.outcomes = new Outcome[r.total];
    for (int i = 0; i < s.pending().length; i++) r.inputs[s.pending()[i]] = s.inputs().get(i);
    for (Outcome o : s.outcomes()) r.complete(o);
    return r;
  }
}
