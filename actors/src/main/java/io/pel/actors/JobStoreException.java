package io.pel.actors;

/**
 * The job store cannot be used: it is corrupt, foreign (not a PEL job store), held by another process, or
 * unreachable. The message names the file or URL and what is wrong; PEL has not changed the store.
 */
public final class JobStoreException extends RuntimeException {

  /** A refusal with its reason; {@code cause} may be null. */
  public JobStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
