package io.pel.samples.wordcount;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * Cuts UTF-8 bytes into text chunks of about {@code size} bytes, each cut just after an ASCII separator
 * (space, newline, punctuation): such a byte is always a whole character and never inside a word, so no
 * word and no multi-byte character is ever split between chunks. Holds at most one chunk plus one
 * upstream element; text with no ASCII separator in {@link #MAX_RUN} bytes fails the stream.
 */
final class TextChunks {

  /** The longest stretch without an ASCII separator accepted: 16 MiB. */
  static final int MAX_RUN = 16 << 20;

  private TextChunks() {}

  static Flow<ByteString, String, NotUsed> of(int size) {
    return Flow.<ByteString>create().statefulMap(
        ByteString::emptyByteString,
        (pending, bytes) -> cut(pending.concat(bytes), size),
        pending -> pending.isEmpty() ? Optional.empty() : Optional.of(List.of(decode(pending))))
        .mapConcat(chunks -> chunks);
  }

  private static Pair<ByteString, List<String>> cut(ByteString pending, int size) {
    if (pending.size() < size) return Pair.create(pending, List.of());
    int end = pending.size() - 1;
    while (end >= 0 && !Words.isAsciiSeparator(pending.apply(end))) end--;
    if (end < 0) {
      if (pending.size() > MAX_RUN) {
        throw new IllegalArgumentException("the text has " + pending.size()
            + " bytes in a row without a space, newline or ASCII punctuation (at most " + MAX_RUN + ")");
      }
      return Pair.create(pending, List.of());
    }
    return Pair.create(pending.drop(end + 1), List.of(decode(pending.take(end + 1))));
  }

  private static String decode(ByteString bytes) {
    return bytes.decodeString(StandardCharsets.UTF_8);
  }
}
