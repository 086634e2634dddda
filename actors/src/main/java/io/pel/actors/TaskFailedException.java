package io.pel.actors;

/**
 * A task failed for good: its last attempt failed, or its failure was not retryable. The message names
 * the task, its type, the attempts made and the cause; {@link #getCause()} is the last attempt's failure
 * (a {@link RemoteTaskException} when it happened on another node).
 */
public final class TaskFailedException extends RuntimeException {

  private final String taskId;
  private final String taskType;
  private final int attempts;

  public TaskFailedException(String taskId, String taskType, int attempts, Throwable cause) {
    super("task " + taskId + " of type '" + taskType + "' failed after " + attempts
        + (attempts == 1 ? " attempt: " : " attempts: ") + cause, cause);
    this.taskId = taskId;
    this.taskType = taskType;
    this.attempts = attempts;
  }

  /** The id of the task that failed. */
  public String taskId() {
    return taskId;
  }

  /** The name of its task type. */
  public String taskType() {
    return taskType;
  }

  /** How many attempts were made. */
  public int attempts() {
    return attempts;
  }
}
