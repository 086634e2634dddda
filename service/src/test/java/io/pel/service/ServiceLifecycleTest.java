package io.pel.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.service.internal.Sha256Module;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as a real process ({@code NodeMain}, what {@code ./pel start} runs): it answers a stream while
 * the request is still being sent, and on SIGTERM it takes no new stream, lets the running one finish, and
 * exits 0.
 */
class ServiceLifecycleTest {

  private static final Pattern READY = Pattern.compile("service ready: (http://127\\.0\\.0\\.1:\\d+/)");

  @TempDir Path dir;

  @Test
  void sigtermLetsTheRunningStreamFinishRefusesNewOnesAndExitsZero() throws Exception {
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.pel.service.NodeMain").redirectErrorStream(true);
    builder.environment().put("PEL_PORT", "0");
    builder.environment().put("PEL_HTTP_PORT", "0");
    builder.environment().put("PEL_DATA_DIR", dir.toString());
    Process node = builder.start();
    BlockingQueue<String> output = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) output.add(line);
      } catch (java.io.IOException e) {
        output.add("(output ended: " + e + ")");
      }
    }, "node-output");
    reader.setDaemon(true);
    reader.start();
    try {
      String url = null;
      StringBuilder seen = new StringBuilder();
      while (url == null) {
        String line = output.poll(60, TimeUnit.SECONDS);
        if (line == null) throw new AssertionError("the node never said it was ready:\n" + seen);
        seen.append(line).append('\n');
        Matcher ready = READY.matcher(line);
        if (ready.find()) url = ready.group(1);
      }

      HttpClient client = HttpClient.newHttpClient();
      try (DuplexStream stream = new DuplexStream(url + "v1/streams/sha256", 60_000)) {
        send(stream, 0, 10);
        // The answers come back while the request is still being sent.
        assertEquals(200, stream.status());
        for (int i = 0; i < 10; i++) assertAnswer(stream.readLine(), i);

        node.destroy(); // SIGTERM
        awaitRefusal(client, url); // a new stream: connection refused, or 503 while the server unbinds

        send(stream, 10, 50);
        stream.end();
        for (int i = 10; i < 50; i++) assertAnswer(stream.readLine(), i);
        assertEquals(null, stream.readLine(), "one answer per line");
      }
      assertTrue(node.waitFor(60, TimeUnit.SECONDS), "the node exits");
      assertEquals(0, node.exitValue(), "a graceful stop exits 0");
    } finally {
      node.descendants().forEach(ProcessHandle::destroyForcibly);
      node.destroyForcibly();
    }
  }

  private static void send(DuplexStream stream, int from, int to) throws Exception {
    for (int i = from; i < to; i++) stream.send("\"line-" + i + "\"\n");
  }

  private static void assertAnswer(String line, int index) {
    assertEquals("{\"index\":" + index + ",\"result\":\"" + Sha256Module.sha256("line-" + index) + "\"}", line);
  }

  private static HttpResponse<String> tryStream(HttpClient client, String url) throws InterruptedException {
    try {
      return client.send(HttpRequest.newBuilder(URI.create(url + "v1/streams/sha256")).timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString("\"late\"\n")).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException refused) {
      return null; // unbound: the connection is refused
    }
  }

  /** Offers new streams until the node refuses them: it stops intake soon after SIGTERM. */
  private static void awaitRefusal(HttpClient client, String url) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> late = tryStream(client, url);
      if (late == null || late.statusCode() == 503) return;
      assertEquals(200, late.statusCode(), late.body()); // not yet draining: served as usual
    }
    throw new AssertionError("the node still took new streams 30 s after SIGTERM");
  }
}
