package io.pel.actors;

/**
 * A job was submitted under an id that already names a different job (another task type or other inputs).
 * Submitting the same job again under its id is not a conflict: it answers with the job's status.
 */
public final class JobConflictException extends IllegalStateException {

  /** A conflict described by {@code message}. */
  public JobConflictException(String message) {
    super(message);
  }
}
