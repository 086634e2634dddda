package io.pel.testkit.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The line protocol between a test JVM and a node it started.
 *
 * <p>Test to node, on the node's stdin: {@code call <id> <command>}. Node to test, on its stdout among the
 * node's own output, each on a line of its own: {@code @@pel-testkit reply <id> <text>}, {@code @@pel-testkit
 * error <id> <text>}, {@code @@pel-testkit self <member>} and {@code @@pel-testkit members <count>
 * <member>,<member>...}, where a member is {@code <address>#<uid>} so that two incarnations of a node on the
 * same port differ. Commands and texts are escaped ({@code \\}, {@code \n}, {@code \r}) to fit on one line.
 *
 * <p>A line that does not parse is ordinary output: the test JVM logs it and ignores it for the protocol.
 */
public final class Protocol {

  /** Marks a protocol line; the test JVM looks for it anywhere in a line, after unterminated output. */
  public static final String PREFIX = "@@pel-testkit ";

  private Protocol() {}

  /** A parsed protocol line of a node. */
  public sealed interface Message {}

  /** The reply of a command handler. */
  public record Reply(long id, String text) implements Message {}

  /** A command that failed: the handler threw, or there is no handler of that name. */
  public record Error(long id, String text) implements Message {}

  /** The node's own member id, printed once its actor system exists. */
  public record Self(String member) implements Message {}

  /** The members the node sees Up, in address order. */
  public record Members(List<String> up) implements Message {}

  /** A call line as the node reads it. */
  public record Call(long id, String command) {}

  /** Prints one protocol line to {@code out} in a single write, so that no other output splits it. */
  public static void print(PrintStream out, String kind, String rest) {
    String line = PREFIX + kind + " " + rest + System.lineSeparator();
    synchronized (out) {
      out.print(line);
      out.flush();
    }
  }

  /** The line that asks a node to run {@code command}. */
  public static String callLine(long id, String command) {
    return "call " + id + " " + escape(command);
  }

  /** Parses a line read by a node from its stdin; empty when it is not a call. */
  public static Optional<Call> parseCall(String line) {
    String[] parts = line.split(" ", 3);
    if (parts.length < 3 || !parts[0].equals("call")) return Optional.empty();
    try {
      return Optional.of(new Call(Long.parseLong(parts[1]), unescape(parts[2])));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * A line of a node's output, split: a protocol line may follow output that had no line break.
   *
   * @param text the output before the protocol line, or the whole line if it holds none; null if none
   * @param message the protocol message, or null
   */
  public record Line(String text, Message message) {}

  /** Splits {@code line} into the node's own text and a protocol message glued after it. */
  public static Line split(String line) {
    int at = line.indexOf(PREFIX);
    Optional<Message> message = at < 0 ? Optional.empty() : parse(line.substring(at));
    if (message.isEmpty()) return new Line(line, null);
    return new Line(at > 0 ? line.substring(0, at) : null, message.get());
  }

  /** Parses the part of a node's output line from {@link #PREFIX} on; empty when it is not a protocol line. */
  public static Optional<Message> parse(String line) {
    if (!line.startsWith(PREFIX)) return Optional.empty();
    String[] parts = line.substring(PREFIX.length()).split(" ", 3);
    try {
      return switch (parts[0]) {
        case "reply" -> parts.length == 3 ? Optional.of(new Reply(Long.parseLong(parts[1]), unescape(parts[2]))) : Optional.empty();
        case "error" -> parts.length == 3 ? Optional.of(new Error(Long.parseLong(parts[1]), unescape(parts[2]))) : Optional.empty();
        case "self" -> parts.length == 2 && !parts[1].isBlank() ? Optional.of(new Self(parts[1])) : Optional.empty();
        case "members" -> members(parts);
        default -> Optional.empty();
      };
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<Message> members(String[] parts) {
    if (parts.length < 2) return Optional.empty();
    int count = Integer.parseInt(parts[1]);
    List<String> up = new ArrayList<>();
    if (parts.length == 3 && !parts[2].isEmpty()) {
      for (String member : parts[2].split(",")) {
        if (member.isEmpty()) return Optional.empty();
        up.add(member);
      }
    }
    return up.size() == count ? Optional.of(new Members(List.copyOf(up))) : Optional.empty();
  }

  /** The text with backslashes, line feeds and carriage returns escaped, so it fits on one line. */
  public static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** The inverse of {@link #escape}; an unknown escape is kept as it is. */
  public static String unescape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\\' || i + 1 == text.length()) {
        out.append(c);
        continue;
      }
      char next = text.charAt(++i);
      switch (next) {
        case '\\' -> out.append('\\');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        default -> out.append(c).append(next);
      }
    }
    return out.toString();
  }

  /** The member id of a node: its address and the uid of this incarnation. */
  public static String memberId(String address, long uid) {
    return address + "#" + uid;
  }

  /** The address part of a member id. */
  public static String address(String memberId) {
    int hash = memberId.lastIndexOf('#');
    return hash < 0 ? memberId : memberId.substring(0, hash);
  }
}
