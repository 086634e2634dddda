package io.pel.service.internal;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Splits a body into its NDJSON lines, numbered from 0, skipping blank ones. A line longer than the limit
 * is not kept: it comes out as {@link Line#tooLong()} and the stream goes on with the next line, so one
 * bad line costs its own answer only. Memory stays within one line of the limit.
 */
final class NdjsonLines {

  /** One line: its bytes without the newline, or too long to keep. */
  record Line(long index, ByteString bytes, boolean tooLong) {}

  private NdjsonLines() {}

  static Flow<ByteString, Line, NotUsed> split(int maxLineBytes) {
    return Flow.<ByteString>create()
        .concat(Source.single(ByteString.fromString("\n"))) // the last line may have no newline
        .statefulMapConcat(() -> new Splitter(maxLineBytes)::accept);
  }

  private static final class Splitter {
    private final int max;
    private ByteString partial = ByteString.emptyByteString();
    private boolean overflowed;
    private long next;

    Splitter(int max) {
      this.max = max;
    }

    List<Line> accept(ByteString chunk) {
      List<Line> lines = new ArrayList<>();
      int from = 0;
      int newline;
      while ((newline = chunk.indexOf((byte) '\n', from)) >= 0) {
        ByteString piece = chunk.slice(from, newline);
        from = newline + 1;
        if (overflowed || partial.size() + piece.size() > max) {
          lines.add(new Line(next++, ByteString.emptyByteString(), true));
        } else {
          ByteString line = partial.concat(piece);
          if (!isBlank(line)) lines.add(new Line(next++, line.compact(), false));
        }
        partial = ByteString.emptyByteString();
        overflowed = false;
      }
      ByteString rest = chunk.drop(from);
      if (!overflowed && partial.size() + rest.size() > max) {
        overflowed = true;
        partial = ByteString.emptyByteString();
      } else if (!overflowed) {
        partial = partial.concat(rest);
      }
      return lines;
    }

    private static boolean isBlank(ByteString line) {
      for (int i = 0; i < line.size(); i++) {
        byte b = line.apply(i);
        if (b != ' ' && b != '\t' && b != '\r') return false;
      }
      return true;
    }
  }
}
