package io.pel.actors;

/**
 * Thrown by a handler to fail its task at once, without a retry: the input is wrong and another attempt
 * would fail the same way. The caller receives a {@link TaskFailedException} with this as its cause.
 */
public class NonRetryableException extends RuntimeException {

  public NonRetryableException(String message) {
    super(message);
  }

  public NonRetryableException(String message, Throwable cause) {
    super(message, cause);
  }
}
