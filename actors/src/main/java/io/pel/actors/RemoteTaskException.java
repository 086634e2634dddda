package io.pel.actors;

/**
 * A handler failure that happened on another node, rebuilt from its class name, message and stack trace
 * (exceptions themselves never cross the wire, so a peer cannot make this node instantiate a class).
 */
public final class RemoteTaskException extends RuntimeException {

  private final String originalClass;

  public RemoteTaskException(String originalClass, String message, StackTraceElement[] stackTrace) {
    super(originalClass + (message == null ? "" : ": " + message));
    this.originalClass = originalClass;
    setStackTrace(stackTrace);
  }

  /** The class name of the exception the handler threw. */
  public String originalClass() {
    return originalClass;
  }
}
