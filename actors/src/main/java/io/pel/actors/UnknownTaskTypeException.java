package io.pel.actors;

import java.util.List;

/** No handler is registered for a task type on the node that was asked to run it. */
public final class UnknownTaskTypeException extends RuntimeException {

  private final String taskType;

  public UnknownTaskTypeException(String taskType, List<String> registered) {
    super("unknown task type '" + taskType + "'; registered types: "
        + (registered.isEmpty() ? "none" : String.join(", ", registered)));
    this.taskType = taskType;
  }

  /** The name that has no handler. */
  public String taskType() {
    return taskType;
  }
}
