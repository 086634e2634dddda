package io.pel.service.internal;

import java.util.regex.Pattern;

/**
 * The text of the service's error answers, from an exception: the problem in the client's words, with no
 * qualified class name of the JDK, Pekko, Jackson or PEL in it. A client acts on "expected a string", not on
 * {@code java.lang.String}; and class names tell an attacker what runs behind the service.
 */
final class ErrorText {

  /** A qualified class name, as exceptions put them in their messages: the simple name is kept. */
  private static final Pattern QUALIFIED = Pattern.compile("\\b(?:[a-z_$][\\w$]*\\.)+([A-Z][\\w$]*)");

  private ErrorText() {}

  /** {@code text} with each qualified class name cut to its simple name. */
  static String withoutClassNames(String text) {
    return QUALIFIED.matcher(text).replaceAll("$1");
  }

  /** {@code failure}'s message (its first line), or without one its simple class name; no qualified names. */
  static String of(Throwable failure) {
    if (failure.getMessage() == null) return failure.getClass().getSimpleName();
    return withoutClassNames(failure.getMessage().lines().findFirst().orElse(""));
  }
}
