package io.pel.actors;

import java.time.Duration;

/** An attempt ran longer than {@code pel.task-timeout}. Retried like any other failure. */
public final class TaskTimeoutException extends RuntimeException {

  public TaskTimeoutException(String taskId, int attempt, String routee, Duration timeout) {
    super("attempt " + attempt + " of task " + taskId + " on " + routee + " did not answer within " + timeout);
  }
}
