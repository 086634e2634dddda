package io.pel.samples.wordcount;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The word rule of the wordcount sample: a word is a maximal run of Unicode letters and decimal digits
 * ({@link Character#isLetterOrDigit(int)}, by code point), lower-cased with {@link Locale#ROOT}. Every
 * other character (spaces, punctuation, symbols, emoji, apostrophes, hyphens) separates words, so
 * {@code "Don't stop-2-stop"} is {@code don}, {@code t}, {@code stop}, {@code 2}, {@code stop}.
 */
public final class Words {

  private Words() {}

  /** The words of {@code text} with how often each occurs. */
  public static HashMap<String, Long> count(CharSequence text) {
    HashMap<String, Long> counts = new HashMap<>();
    forEach(text, word -> counts.merge(word, 1L, Long::sum));
    return counts;
  }

  /** Hands every word of {@code text} to {@code action}, in order. */
  public static void forEach(CharSequence text, Consumer<String> action) {
    int n = text.length();
    int i = 0;
    while (i < n) {
      int cp = Character.codePointAt(text, i);
      if (!Character.isLetterOrDigit(cp)) {
        i += Character.charCount(cp);
        continue;
      }
      int start = i;
      while (i < n && Character.isLetterOrDigit(cp = Character.codePointAt(text, i))) i += Character.charCount(cp);
      action.accept(text.subSequence(start, i).toString().toLowerCase(Locale.ROOT));
    }
  }

  /** Whether byte {@code b} of UTF-8 text is a whole character that separates words (ASCII, not alphanumeric). */
  static boolean isAsciiSeparator(byte b) {
    return b >= 0 && !Character.isLetterOrDigit(b);
  }

  /** The total of all counts. */
  static long total(Map<String, Long> counts) {
    long total = 0;
    for (long c : counts.values()) total += c;
    return total;
  }
}
