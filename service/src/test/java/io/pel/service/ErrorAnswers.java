package io.pel.service;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every error answer of the service keeps to: it names the problem in the client's terms, never a class
 * of the JDK, Pekko, Jackson, Scala or PEL's own code. For tests.
 */
public final class ErrorAnswers {

  private static final Pattern CLASS_NAME = Pattern.compile(
      "\\b(?:org\\.apache|java\\.|javax\\.|jdk\\.|sun\\.|com\\.fasterxml|com\\.typesafe|scala\\.|io\\.pel\\.)[\\w.$]*");

  private ErrorAnswers() {}

  /** Fails naming the class if {@code answer} (a body, or an error line) names one. */
  public static void assertNoClassName(String answer) {
    Matcher found = CLASS_NAME.matcher(answer);
    assertFalse(found.find(), () -> "an error answer names the class '" + found.group() + "': " + answer);
  }
}
