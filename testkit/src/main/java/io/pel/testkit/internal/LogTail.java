package io.pel.testkit.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.stream.Stream;

/** The end of a node's log file, for failure messages. */
public final class LogTail {

  private LogTail() {}

  /** The last {@code count} lines of {@code file}, each indented, or a note saying why there are none. */
  public static String of(Path file, int count) {
    Deque<String> tail = new ArrayDeque<>(count);
    try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
      lines.forEach(line -> {
        if (tail.size() == count) tail.removeFirst();
        tail.addLast(line);
      });
    } catch (IOException | java.io.UncheckedIOException e) {
      return "    (cannot read " + file + ": " + e + ")\n";
    }
    StringBuilder out = new StringBuilder();
    for (String line : tail) out.append("    ").append(line).append('\n');
    return out.length() == 0 ? "    (empty)\n" : out.toString();
  }
}
