package io.pel.bench;

/** The bench's command line is wrong; the message names the argument and the value, in one line. */
public final class UsageException extends Exception {

  public UsageException(String message) {
    super(message);
  }
}
