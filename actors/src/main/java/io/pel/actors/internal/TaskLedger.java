package io.pel.actors.internal;

import java.util.List;

/**
 * The tasks a node has accepted and not yet settled, and their admission places: the one owner of both.
 *
 * <p>A caller takes a place in {@link Admission} before its task reaches the supervisor (any thread);
 * from {@link #accept} on, the task is a record here, touched only by the supervisor actor, until {@link
 * #settle} removes it and gives its place back: once, whether it succeeded, failed for good, was
 * cancelled or the layer stopped. So the node's count of accepted tasks is {@link Admission}'s, and no
 * other count is kept.
 */
final class TaskLedger {

  private final Admission admission;
  private final long nodeUid;
  private final LongRecordMap accepted = new LongRecordMap();
  private long nextSeq;

  TaskLedger(Admission admission, long nodeUid) {
    this.admission = admission;
    this.nodeUid = nodeUid;
  }

  /** Records a task whose caller holds an admission place, under a new id. */
  TaskRecord accept(String type, String shardKey, Object payload, TaskFuture result) {
    TaskRecord task = new TaskRecord(new TaskId(nodeUid, ++nextSeq), type, shardKey, payload, result);
    result.seq = task.id.seq();
    accepted.put(task.id.seq(), task);
    return task;
  }

  /** The unsettled task of this node's sequence number {@code seq}, or {@code null}. */
  TaskRecord get(long seq) {
    return accepted.get(seq);
  }

  /** Removes {@code task} and frees its place; {@code false} (and nothing changes) if it was settled already. */
  boolean settle(TaskRecord task) {
    if (accepted.remove(task.id.seq()) != task) return false;
    task.state = TaskRecord.State.DONE;
    admission.release();
    return true;
  }

  /** Frees the place of a task that never became a record (cancelled before the supervisor took it in). */
  void refuse() {
    admission.release();
  }

  /** Every unsettled task, copied: for the rare moments that need them all (a routee lost, the layer stopped). */
  List<TaskRecord> all() {
    return accepted.values();
  }

  int size() {
    return accepted.size();
  }
}
