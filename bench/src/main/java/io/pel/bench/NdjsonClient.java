package io.pel.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The {@code http} workload's client, the same for every server: one {@code POST} of a whole NDJSON body on
 * a raw socket, written by one thread while the calling thread reads the streamed answer, so that neither
 * side waits for the other to finish. (The JDK's {@code HttpClient} reads a response only once it has sent
 * the request: with a body larger than the socket buffers and a server that answers while it reads, both
 * would stall.) Each answer line goes to an {@link AnswerCheck}, which fails the run on the first wrong one.
 */
final class NdjsonClient {

  /** How long a read may block before the run fails: far above any pause of a healthy server. */
  static final int READ_TIMEOUT_MILLIS = 120_000;
  private static final int BUFFER = 1 << 16;

  /** Checks one answer line at a time; returns the checksum once every line was checked. */
  interface AnswerCheck {
    /** Checks the {@code n}th answer line (from 0): {@code length} bytes of {@code bytes} at {@code offset}, without its newline. */
    void line(byte[] bytes, int offset, int length, long n);

    /** Checks that every line came; returns the run's checksum. */
    long end(long lines);
  }

  private NdjsonClient() {}

  /**
   * Posts {@code body} as {@code application/x-ndjson} to {@code url}, and hands every line of the answer to
   * {@code check}; returns what {@link AnswerCheck#end} returns.
   *
   * @throws IllegalStateException if the status is not 200, the answer is not chunked, or a check fails
   */
  static long post(String url, byte[] body, AnswerCheck check) throws Exception {
    URI uri = URI.create(url);
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      byte[] head = ("POST " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + " HTTP/1.1\r\n"
          + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\nContent-Type: application/x-ndjson\r\n"
          + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      IOException[] sendFailure = new IOException[1];
      Thread sender = new Thread(() -> {
        try {
          out.write(head);
          for (int from = 0; from < body.length; from += BUFFER) out.write(body, from, Math.min(BUFFER, body.length - from));
          out.flush();
        } catch (IOException e) {
          sendFailure[0] = e;
        }
      }, "pel-bench-ndjson-sender");
      sender.setDaemon(true);
      sender.start();
      long lines;
      try {
        lines = read(new BufferedInputStream(socket.getInputStream(), BUFFER), url, check);
      } finally {
        socket.close(); // a sender still blocked in write fails at once
        sender.join();
      }
      if (sendFailure[0] != null) throw new IllegalStateException("sending the body to " + url + " failed: " + sendFailure[0], sendFailure[0]);
      return check.end(lines);
    }
  }

  private static long read(InputStream in, String url, AnswerCheck check) throws IOException {
    String status = headerLine(in);
    if (!status.startsWith("HTTP/1.1 200")) {
      throw new IllegalStateException(url + " answered '" + status + "'" + rest(in));
    }
    boolean chunked = false;
    for (String header; !(header = headerLine(in)).isEmpty(); ) {
      if (header.equalsIgnoreCase("Transfer-Encoding: chunked")) chunked = true;
    }
    if (!chunked) throw new IllegalStateException(url + " did not stream its answer (no chunked transfer encoding)");
    byte[] chunk = new byte[BUFFER];
    byte[] line = new byte[256];
    int length = 0;
    long lines = 0;
    for (int size; (size = Integer.parseInt(headerLine(in).trim(), 16)) > 0; ) {
      if (size > chunk.length) chunk = new byte[size];
      if (in.readNBytes(chunk, 0, size) < size) throw new EOFException(url + " ended its answer in the middle of a chunk");
      int from = 0;
      for (int i = 0; i < size; i++) {
        if (chunk[i] != '\n') continue;
        if (length == 0) {
          check.line(chunk, from, i - from, lines++);
        } else {
          line = append(line, length, chunk, from, i - from);
          check.line(line, 0, length + i - from, lines++);
          length = 0;
        }
        from = i + 1;
      }
      line = append(line, length, chunk, from, size - from);
      length += size - from;
      headerLine(in); // the CRLF after the chunk
    }
    if (length > 0) check.line(line, 0, length, lines++);
    return lines;
  }

  /** {@code line} holding its first {@code length} bytes and then {@code count} bytes of {@code from} at {@code offset}. */
  private static byte[] append(byte[] line, int length, byte[] from, int offset, int count) {
    if (length + count > line.length) line = Arrays.copyOf(line, Math.max(2 * line.length, length + count));
    System.arraycopy(from, offset, line, length, count);
    return line;
  }

  private static String headerLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) throw new EOFException("the answer ended before its end: '" + line.toString(StandardCharsets.US_ASCII) + "'");
      if (b != '\r') line.write(b);
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  private static String rest(InputStream in) {
    try {
      byte[] text = in.readNBytes(2000);
      return text.length == 0 ? "" : ": " + new String(text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
