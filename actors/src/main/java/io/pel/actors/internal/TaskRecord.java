package io.pel.actors.internal;

/**
 * A supervisor's bookkeeping of one accepted task, across all its attempts. Supervisor-owned. Public, with
 * its constructor, only for pel-bench's JMH benchmarks; not API.
 */
public final class TaskRecord {

  enum State { PENDING, RUNNING, WAITING_RETRY, DONE }

  final TaskId id;
  final String type;
  final String shardKey;
  final Object payload;
  final TaskFuture result;
  State state = State.PENDING;
  /** Attempts dispatched so far; the next one gets this plus one. */
  int attempt;
  /** Attempts that failed (handler failures and timeouts; not routee deaths). */
  int failures;
  RouteeState routee;
  /** The routee whose attempt failed last; a retry goes elsewhere when it can. */
  RouteeState avoid;
  long deadlineNanos;
  /** When its latest attempt was sent. */
  long sentNanos;
  /** Whether a straggling attempt of it may get a duplicate (its type is idempotent, or all types may). */
  boolean speculable;
  /** The attempt number of its speculative duplicate, 0 if none was launched. */
  int speculativeAttempt;
  /** The routing key's hash: of the shard key, or for unkeyed tasks of the id (consistent-hash strategy). */
  final long keyHash;
  /** Elements it carries: a batch's size, else 1. What routing weighs a routee's outstanding work in. */
  final int weight;
  /** Its place in the {@link AttemptClock}'s list of running attempts, in deadline order. */
  TaskRecord clockPrev;
  TaskRecord clockNext;
  boolean clocked;
  /** Whether the {@link Speculator} watches it. */
  boolean watched;
  /** Whether its type's attempts run on the routee's blocking pool: it waits and counts in the pooled lane. */
  boolean pooled;

  public TaskRecord(TaskId id, String type, String shardKey, Object payload, TaskFuture result) {
    this.id = id;
    this.type = type;
    this.shardKey = shardKey;
    this.payload = payload;
    this.result = result;
    this.keyHash = shardKey != null ? Rendezvous.hash(shardKey) : Rendezvous.mix(id.node() * 31 + id.seq());
    this.weight = payload instanceof Batch batch ? Math.max(1, batch.inputs().size()) : 1;
  }
}
