package io.pel.testkit;

/**
 * A cluster of node JVMs could not do what the test asked: its nodes did not come Up in time, a node did not
 * answer a call or did not stop, or it had already exited. The message names the nodes and, where it helps,
 * ends with the last lines of their logs.
 */
public class JvmClusterException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** An exception with {@code message}. */
  public JvmClusterException(String message) {
    super(message);
  }

  /** An exception with {@code message} caused by {@code cause}. */
  public JvmClusterException(String message, Throwable cause) {
    super(message, cause);
  }
}
