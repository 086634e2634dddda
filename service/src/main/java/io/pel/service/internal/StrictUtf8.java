package io.pel.service.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The service's inputs as text: their bytes decoded as UTF-8 by a decoder that reports, rather than
 * replaces, what is not UTF-8: an overlong encoding ({@code 0xC0 0xAF} for {@code /}), a surrogate encoded
 * on its own (CESU-8's {@code 0xED 0xA0 0x80}), a sequence cut short, a byte UTF-8 never has ({@code 0xC0},
 * {@code 0xC1}, {@code 0xF5}&ndash;{@code 0xFF}). A lenient reading would turn such input into other text
 * and run the task on it without a word. Inputs are then parsed from the text, never from the bytes, so that
 * no parser guesses another encoding (UTF-16 from zero bytes) either.
 *
 * <p>Holds one decoder: one instance per stream or request, used from one thread at a time.
 */
final class StrictUtf8 {

  /** Bytes that are not UTF-8; the message says where, and which bytes. */
  static final class MalformedException extends Exception {
    MalformedException(String message) {
      super(message, null, false, false);
    }
  }

  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

  /**
   * {@code bytes} as text.
   *
   * @throws MalformedException naming the first byte offset that starts a sequence which is not UTF-8, and its bytes
   */
  String decode(byte[] bytes) throws MalformedException {
    if (isAscii(bytes)) return new String(bytes, StandardCharsets.ISO_8859_1); // the same text, without a decoder's pass
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never has more chars than bytes
    decoder.reset();
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) result = decoder.flush(out);
    if (result.isError()) throw new MalformedException(describe(bytes, in.position(), result.length()));
    return out.flip().toString();
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) if (b < 0) return false;
    return true;
  }

  private static String describe(byte[] bytes, int at, int length) {
    StringBuilder text = new StringBuilder("not valid UTF-8 at byte ").append(at).append(':');
    for (int i = at; i < Math.min(at + Math.max(length, 1), bytes.length); i++) text.append(String.format(" 0x%02X", bytes[i] & 0xff));
    return text.toString();
  }
}
