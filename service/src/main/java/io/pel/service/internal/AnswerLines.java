package io.pel.service.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * A stream's answer lines, as bytes: {@code {"index":n,"result":<JSON>}} or {@code {"index":n,"error":"..."}},
 * each ending in a newline, and {@link #chunks()}, which gathers the lines that wait for the connection into
 * one response chunk.
 *
 * <p>The lines are written by hand rather than through a Jackson tree: the stream's thread writes every line of
 * a stream, and a tree per line cost more of it than the task itself. The bytes are the ones Jackson writes for
 * the same object ({@code ObjectMapper.writeValueAsBytes} of {@code {"index":n,"result":r}}): a string of
 * printable ASCII without quotes or backslashes, a whole number or a boolean is written here, any other value
 * through {@code json}.
 */
final class AnswerLines {

  /** The most bytes of answer lines gathered into one chunk while the connection is busy. */
  static final int MAX_CHUNK_BYTES = 64 * 1024;

  private static final byte[] INDEX = ascii("{\"index\":");
  private static final byte[] RESULT = ascii(",\"result\":");
  private static final byte[] ERROR = ascii(",\"error\":");
  private static final byte[] END = ascii("}\n");

  private final ObjectMapper json;

  AnswerLines(ObjectMapper json) {
    this.json = json;
  }

  /**
   * The result line of line {@code index}.
   *
   * @throws IllegalArgumentException if {@code result} cannot be written as JSON
   */
  ByteString result(long index, Object result) {
    return line(index, RESULT, value(result));
  }

  /** The error line of line {@code index}. */
  ByteString error(long index, String message) {
    return line(index, ERROR, value(message));
  }

  /**
   * Gathers answer lines into chunks: a line goes on alone as soon as the connection takes it; the lines that
   * come while it does not are joined into one chunk of at most about {@link #MAX_CHUNK_BYTES}, so a busy
   * stream pays the chunk's framing and the socket write once per many lines, not per line.
   */
  static Flow<ByteString, ByteString, NotUsed> chunks() {
    return Flow.<ByteString>create()
        .batchWeighted(MAX_CHUNK_BYTES, line -> (long) line.size(), Chunk::new, Chunk::add)
        .map(Chunk::bytes);
  }

  /** {@code result} as Jackson writes it. */
  private byte[] value(Object result) {
    if (result instanceof String text && needsNoEscape(text)) return quoted(text);
    if (result instanceof Long || result instanceof Integer || result instanceof Short || result instanceof Byte
        || result instanceof Boolean) {
      return ascii(result.toString());
    }
    try {
      return json.writeValueAsBytes(result);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write a " + result.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Whether {@code text} is printable ASCII without a quote or a backslash: a JSON string of it is the text
   * between quotes. Jackson writes any other text (escapes, surrogates) its own way, so it writes those.
   */
  private static boolean needsNoEscape(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') return false;
    }
    return true;
  }

  /** {@code text}, which {@link #needsNoEscape needs no escape}, as a JSON string: between quotes, a byte per char. */
  private static byte[] quoted(String text) {
    byte[] out = new byte[text.length() + 2];
    out[0] = '"';
    for (int i = 0; i < text.length(); i++) out[i + 1] = (byte) text.charAt(i);
    out[out.length - 1] = '"';
    return out;
  }

  private static ByteString line(long index, byte[] field, byte[] value) {
    byte[] number = ascii(Long.toString(index));
    byte[] out = new byte[INDEX.length + number.length + field.length + value.length + END.length];
    int at = put(out, 0, INDEX);
    at = put(out, at, number);
    at = put(out, at, field);
    at = put(out, at, value);
    put(out, at, END);
    return ByteString.fromArrayUnsafe(out);
  }

  private static int put(byte[] into, int at, byte[] bytes) {
    System.arraycopy(bytes, 0, into, at, bytes.length);
    return at + bytes.length;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** Lines gathered into one array, copied once. */
  private static final class Chunk {
    private byte[] bytes;
    private int size;

    Chunk(ByteString first) {
      bytes = new byte[Math.max(first.size(), 256)];
      add(first);
    }

    Chunk add(ByteString line) {
      if (size + line.size() > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(size + line.size(), bytes.length * 2));
      line.copyToArray(bytes, size, line.size());
      size += line.size();
      return this;
    }

    ByteString bytes() {
      return ByteString.fromArrayUnsafe(bytes, 0, size);
    }
  }
}
