package io.pel.service;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 client that sends a chunked NDJSON body and reads the response's lines while the body
 * is still open, which the JDK's client does not do (it reads a response after sending the whole request).
 * For tests only.
 */
public final class DuplexStream implements AutoCloseable {

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private int status;
  private int chunkLeft;
  private boolean ended;

  /** Opens {@code POST url} with a chunked NDJSON body. */
  public DuplexStream(String url, int readTimeoutMillis) throws IOException {
    this(url, readTimeoutMillis, null);
  }

  /** Opens {@code POST url} with a chunked NDJSON body, from {@code localAddress} (null: any). */
  public DuplexStream(String url, int readTimeoutMillis, InetAddress localAddress) throws IOException {
    URI uri = URI.create(url);
    socket = new Socket(uri.getHost(), uri.getPort(), localAddress, 0);
    socket.setSoTimeout(readTimeoutMillis);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream());
    out.write(("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nContent-Type: application/x-ndjson\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Sends {@code text} as one chunk. */
  public void send(String text) throws IOException {
    send(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends {@code bytes} as one chunk. */
  public void send(byte[] bytes) throws IOException {
    out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Ends the body. */
  public void end() throws IOException {
    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** The response's status, reading its head if not yet read. */
  public int status() throws IOException {
    if (status == 0) {
      String statusLine = headerLine();
      status = Integer.parseInt(statusLine.split(" ")[1]);
      while (!headerLine().isEmpty()) {
        // headers: the body is chunked (the service streams)
      }
    }
    return status;
  }

  /** The next line of the response body, or null at its end. */
  public String readLine() throws IOException {
    status();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = nextBodyByte();
      if (b < 0) return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
      if (b == '\n') return line.toString(StandardCharsets.UTF_8);
      line.write(b);
    }
  }

  private int nextBodyByte() throws IOException {
    if (ended) return -1;
    if (chunkLeft == 0) {
      String size = headerLine();
      if (size.isEmpty()) size = headerLine(); // the CRLF after the previous chunk
      chunkLeft = Integer.parseInt(size.trim(), 16);
      if (chunkLeft == 0) {
        ended = true;
        return -1;
      }
    }
    chunkLeft--;
    return in.read();
  }

  private String headerLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b; (b = in.read()) != -1 && b != '\n'; ) if (b != '\r') line.write(b);
    return line.toString(StandardCharsets.US_ASCII);
  }

  /** After the response's end: whether the server closed the connection (within the read timeout). */
  public boolean closedByServer() throws IOException {
    try {
      int b;
      while ((b = in.read()) == '\r' || b == '\n') {
        // the CRLF that ends the last chunk
      }
      return b == -1;
    } catch (java.net.SocketException e) {
      return true; // reset: closed too
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
