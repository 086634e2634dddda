package io.pel.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The wordcount input and the one word rule every engine uses. The text is generated from a fixed seed:
 * a vocabulary of distinct lower-case words, drawn with Zipf's law (s = 1: the word of rank k has weight
 * 1/k), 4 to 16 words a line, separated by single spaces. A word is a maximal run of letters and digits.
 */
public final class Corpus {

  /** Distinct words in the vocabulary (fewer if the text is too short to need them all). */
  public static final int VOCABULARY = 50_000;
  private static final long SEED = 0x5eed_0f_c0de_2026L;

  private final List<String> lines;
  private final long bytes;

  private Corpus(List<String> lines, long bytes) {
    this.lines = lines;
    this.bytes = bytes;
  }

  /** At least {@code bytes} bytes of text (ASCII, one byte per character, newlines included). */
  public static Corpus generate(long bytes) {
    SplittableRandom random = new SplittableRandom(SEED);
    String[] words = vocabulary(random, VOCABULARY);
    double[] cumulative = new double[words.length];
    double total = 0;
    for (int k = 0; k < words.length; k++) cumulative[k] = total += 1.0 / (k + 1);
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder(200);
    long written = 0;
    while (written < bytes) {
      line.setLength(0);
      int count = 4 + random.nextInt(13);
      for (int w = 0; w < count; w++) {
        if (w > 0) line.append(' ');
        line.append(words[rank(cumulative, random.nextDouble() * total)]);
      }
      lines.add(line.toString());
      written += line.length() + 1;
    }
    return new Corpus(List.copyOf(lines), written);
  }

  /** {@code n} distinct words of 2 to 12 letters. */
  private static String[] vocabulary(SplittableRandom random, int n) {
    LinkedHashSet<String> words = new LinkedHashSet<>();
    char[] letters = new char[12];
    while (words.size() < n) {
      int length = 2 + random.nextInt(11);
      for (int i = 0; i < length; i++) letters[i] = (char) ('a' + random.nextInt(26));
      words.add(new String(letters, 0, length));
    }
    return words.toArray(String[]::new);
  }

  /** The smallest k with {@code cumulative[k] >= target}. */
  private static int rank(double[] cumulative, double target) {
    int k = Arrays.binarySearch(cumulative, target);
    return Math.min(k >= 0 ? k : -k - 1, cumulative.length - 1);
  }

  /** The lines of text, without their newlines. */
  public List<String> lines() {
    return lines;
  }

  /** Bytes of text, newlines included. */
  public long bytes() {
    return bytes;
  }

  /** Hands every word of {@code line} to {@code action}, in order. */
  public static void forEachWord(String line, Consumer<String> action) {
    int n = line.length();
    int i = 0;
    while (i < n) {
      while (i < n && !Character.isLetterOrDigit(line.charAt(i))) i++;
      int start = i;
      while (i < n && Character.isLetterOrDigit(line.charAt(i))) i++;
      if (i > start) action.accept(line.substring(start, i));
    }
  }

  /** Adds one to {@code counts} for every word of {@code line}. */
  public static void countInto(HashMap<String, Long> counts, String line) {
    forEachWord(line, word -> counts.merge(word, 1L, Long::sum));
  }

  /** The words of {@code lines} with how often each occurs. */
  public static HashMap<String, Long> count(List<String> lines) {
    HashMap<String, Long> counts = new HashMap<>();
    for (String line : lines) countInto(counts, line);
    return counts;
  }

  /** Adds every count of {@code from} to {@code into}. */
  public static void mergeInto(HashMap<String, Long> into, Map<String, Long> from) {
    from.forEach((word, n) -> into.merge(word, n, Long::sum));
  }

  /** The number of words counted in {@code counts}. */
  public static long words(Map<String, Long> counts) {
    long words = 0;
    for (long n : counts.values()) words += n;
    return words;
  }

  /** One word's share of the checksum: {@code mix(word.hashCode()) * count}, wrapping. */
  public static long checksum(String word, long count) {
    return Mix.mix(word.hashCode()) * count;
  }

  /** The checksum of a whole count: the wrapping sum of every word's share. */
  public static long checksum(Map<String, Long> counts) {
    long sum = 0;
    for (Map.Entry<String, Long> e : counts.entrySet()) sum += checksum(e.getKey(), e.getValue());
    return sum;
  }
}
