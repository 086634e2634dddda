package io.pel.actors;

/**
 * Thrown by a handler to declare its routee broken (a corrupt model, a dead connection): supervision
 * restarts the routee with backoff, which rebuilds the handlers a factory made, and the task is re-run
 * under the retry policy. An {@link Error} thrown by a handler is treated the same way.
 */
public class FatalTaskException extends RuntimeException {

  public FatalTaskException(String message) {
    super(message);
  }

  public FatalTaskException(String message, Throwable cause) {
    super(message, cause);
  }
}
