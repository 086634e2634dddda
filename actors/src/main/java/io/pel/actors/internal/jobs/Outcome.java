package io.pel.actors.internal.jobs;

import io.pel.cluster.PelSerializable;

/**
 * One task's outcome as the job store keeps it: the result's bytes ({@link JobValues}), or the failure's
 * class and message (an exception is never stored as an object).
 *
 * @param index the task's position in the job's inputs
 * @param result the serialized result; {@code null} when failed
 * @param failureClass the failure's class name; {@code null} when succeeded
 * @param failureMessage the failure's message, may be null
 */
public record Outcome(int index, byte[] result, String failureClass, String failureMessage) implements PelSerializable {

  static Outcome success(int index, byte[] result) {
    return new Outcome(index, result, null, null);
  }

  /** Longest failure message kept. */
  static final int MAX_MESSAGE = 4000;

  static Outcome failure(int index, Throwable failure) {
    String message = failure.getMessage();
    if (message != null && message.length() > MAX_MESSAGE) message = message.substring(0, MAX_MESSAGE) + "...";
    return new Outcome(index, null, failure.getClass().getName(), message);
  }

  public boolean succeeded() {
    return failureClass == null;
  }
}
