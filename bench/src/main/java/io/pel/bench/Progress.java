package io.pel.bench;

import java.io.PrintStream;

/** Where the bench says what it is doing while it runs (standard error), apart from its results. */
@FunctionalInterface
public interface Progress {

  void say(String line);

  /** Progress lines prefixed with {@code bench: } on {@code stream}. */
  static Progress to(PrintStream stream) {
    return line -> stream.println("bench: " + line);
  }
}
