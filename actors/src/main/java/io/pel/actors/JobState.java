package io.pel.actors;

/** Where a job is in its life. */
public enum JobState {
  /** Accepted, with tasks still to complete. After a crash it resumes with the tasks not yet checkpointed. */
  RUNNING,
  /** Every task has its outcome (a result or a failure). */
  COMPLETED,
  /** Cancelled before every task completed: tasks not yet completed never will. */
  CANCELLED;

  /** Whether the job has ended: it runs no more tasks. */
  public boolean isFinished() {
    return this != RUNNING;
  }
}
