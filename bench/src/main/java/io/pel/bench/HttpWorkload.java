package io.pel.bench;

import io.pel.actors.ExecutionLayer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code http}: NDJSON lines, each a JSON string of about 40 characters, streamed in one {@code POST} to
 * {@code /v1/streams/sha256} and answered with their SHA-256, on four engines: PEL's service in a node of
 * its own ({@link ServiceNodeJvm}), in order ({@value #PEL_ORDERED}) and with {@code ?ordered=false}
 * ({@value #PEL_UNORDERED}), and a plain Pekko HTTP route in this JVM that hashes each line inline, in order
 * ({@value #PLAIN}), and the same with its answer lines gathered into chunks as PEL's service gathers them
 * ({@value #PLAIN_GATHERED}). One client ({@link NdjsonClient}) for all four; every answer line is checked against
 * the hash computed here for its index, and a wrong, missing, doubled or misplaced line fails the run.
 */
final class HttpWorkload implements Workload {

  /** Lines per run at scale 1. */
  static final long FULL_SIZE = 200_000;
  /** The plain Pekko HTTP route, in this JVM. */
  static final String PLAIN = "pekko-http";
  /** The same route with its answer lines gathered into chunks ({@code ?gather=true}). */
  static final String PLAIN_GATHERED = "pekko-http-gathered";
  /** PEL's service, answers in input order. */
  static final String PEL_ORDERED = "pel-service";
  /** PEL's service with {@code ?ordered=false}. */
  static final String PEL_UNORDERED = "pel-service-unordered";
  private static final String PATH = "v1/streams/sha256";
  private static final int TEXT_LENGTH = 40;
  private static final long SEED = 16;
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.".toCharArray();

  private final int lines;
  private final String serviceUrl;
  private final String plainUrl;
  private byte[] body;
  /** The answer expected for each line, {@code {"index":i,"result":"<hex>"}}, without the newline. */
  private byte[][] expected;
  /** Each line's part of the checksum. */
  private long[] lineSums;

  /**
   * @param serviceUrl PEL's service ({@code http://host:port/})
   * @param plainUrl the plain route's server
   */
  HttpWorkload(long lines, String serviceUrl, String plainUrl) {
    if (lines > Integer.MAX_VALUE) throw new IllegalArgumentException("at most " + Integer.MAX_VALUE + " lines, not " + lines);
    this.lines = (int) lines;
    this.serviceUrl = serviceUrl;
    this.plainUrl = plainUrl;
  }

  @Override
  public String name() {
    return "http";
  }

  @Override
  public String unit() {
    return "lines";
  }

  @Override
  public double amount() {
    return lines;
  }

  @Override
  public void register(ExecutionLayer layer) {} // the tasks run in the service's node, which has them

  @Override
  public List<Engine> engines(BenchContext context) {
    prepare();
    return List.of(
        new Engine(PLAIN, () -> NdjsonClient.post(plainUrl + PATH, body, new Check(true))),
        new Engine(PLAIN_GATHERED, () -> NdjsonClient.post(plainUrl + PATH + "?gather=true", body, new Check(true))),
        new Engine(PEL_ORDERED, () -> NdjsonClient.post(serviceUrl + PATH, body, new Check(true))),
        new Engine(PEL_UNORDERED, () -> NdjsonClient.post(serviceUrl + PATH + "?ordered=false", body, new Check(false))));
  }

  /** The body, and each line's expected answer, from a fixed seed. */
  private void prepare() {
    if (body != null) return;
    ByteArrayOutputStream out = new ByteArrayOutputStream(lines * (TEXT_LENGTH + 3));
    expected = new byte[lines][];
    lineSums = new long[lines];
    SplittableRandom random = new SplittableRandom(SEED);
    char[] text = new char[TEXT_LENGTH];
    for (int i = 0; i < lines; i++) {
      for (int c = 0; c < text.length; c++) text[c] = ALPHABET[random.nextInt(ALPHABET.length)];
      String value = new String(text);
      out.writeBytes(("\"" + value + "\"\n").getBytes(StandardCharsets.UTF_8));
      String hash = PlainHttpService.sha256(value);
      expected[i] = answer(i, hash);
      lineSums[i] = lineChecksum(i, hash);
    }
    body = out.toByteArray();
  }

  private static byte[] answer(long index, String hex) {
    return ("{\"index\":" + index + ",\"result\":\"" + hex + "\"}").getBytes(StandardCharsets.US_ASCII);
  }

  /** The sum over the lines of {@code mix(index ^ the hash's first 64 bits)}: the same whatever the order. */
  static long checksum(long lines) {
    SplittableRandom random = new SplittableRandom(SEED);
    char[] text = new char[TEXT_LENGTH];
    long sum = 0;
    for (long i = 0; i < lines; i++) {
      for (int c = 0; c < text.length; c++) text[c] = ALPHABET[random.nextInt(ALPHABET.length)];
      sum += lineChecksum(i, PlainHttpService.sha256(new String(text)));
    }
    return sum;
  }

  private static long lineChecksum(long index, String hex) {
    return Mix.mix(index ^ Long.parseUnsignedLong(hex.substring(0, 16), 16));
  }

  /**
   * One run's check: each answer line must be exactly the expected one for its index; in order, the index
   * must be the line's own position.
   */
  private final class Check implements NdjsonClient.AnswerCheck {
    private final boolean ordered;
    private final BitSet seen = new BitSet();
    private long sum;

    Check(boolean ordered) {
      this.ordered = ordered;
    }

    @Override
    public void line(byte[] bytes, int offset, int length, long n) {
      long index = ordered ? n : indexOf(bytes, offset, length, n);
      if (index < 0 || index >= lines) throw wrong(n, bytes, offset, length, "no line has index " + index);
      byte[] want = expected[(int) index];
      if (!Arrays.equals(bytes, offset, offset + length, want, 0, want.length)) {
        throw wrong(n, bytes, offset, length, "expected " + new String(want, StandardCharsets.US_ASCII));
      }
      if (seen.get((int) index)) throw wrong(n, bytes, offset, length, "index " + index + " was answered before");
      seen.set((int) index);
      sum += lineSums[(int) index];
    }

    @Override
    public long end(long answered) {
      if (answered != lines || seen.cardinality() != lines) {
        throw new IllegalStateException(answered + " answer lines for " + lines + " lines; the first unanswered is line "
            + seen.nextClearBit(0));
      }
      return sum;
    }

    /** The index of an answer {@code {"index":<n>,...}}, or -1. */
    private long indexOf(byte[] bytes, int offset, int length, long n) {
      int prefix = "{\"index\":".length();
      long index = 0;
      int i = offset + prefix;
      if (length <= prefix || bytes[offset] != '{' || bytes[i - 1] != ':') return -1;
      for (; i < offset + length && bytes[i] >= '0' && bytes[i] <= '9'; i++) index = index * 10 + (bytes[i] - '0');
      return i == offset + prefix ? -1 : index;
    }

    private IllegalStateException wrong(long n, byte[] bytes, int offset, int length, String why) {
      return new IllegalStateException("answer line " + n + " is wrong (" + why + "): "
          + new String(bytes, offset, Math.min(length, 300), StandardCharsets.UTF_8));
    }
  }
}
