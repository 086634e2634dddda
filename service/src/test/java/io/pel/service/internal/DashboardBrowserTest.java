package io.pel.service.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pel.actors.ExecutionLayer;
import io.pel.service.HttpService;
import io.pel.service.HttpSettings;
import io.pel.service.ServiceTypes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dashboard in headless Chromium (no Selenium: {@code --dump-dom} gives the DOM after the page's scripts
 * ran, {@code --screenshot} a picture), while a stream of sha256 lines runs against the service. Skipped, saying
 * why, without {@code /usr/bin/chromium} ({@code .ci/run} installs Debian's chromium when it can).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {

  private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  private static final String TOKEN = "dash-token";
  private static final Duration BROWSER_TIMEOUT = Duration.ofSeconds(90);
  private static final int DOM_TAKES = 4;
  private static final String SKIPPED = CHROMIUM + " is missing (Debian: apt-get install chromium; .ci/run installs it as root)";

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final AtomicBoolean streaming = new AtomicBoolean(true);
  private final AtomicLong streamed = new AtomicLong();
  private final List<Process> browsers = new ArrayList<>();
  private final java.util.Set<ProcessHandle> helpers = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private ExecutionLayer layer;
  private HttpService service;
  private Thread load;

  @BeforeAll
  void start() throws Exception {
    if (!Files.isExecutable(CHROMIUM)) {
      System.out.println("DashboardBrowserTest skipped: " + SKIPPED);
      return; // the test itself is then skipped, and counted so
    }
    layer = ExecutionLayer.start(ConfigFactory.parseString("pel.workers-per-node = 2"));
    service = HttpService.start(layer, ServiceTypes.load(layer), null, new HttpSettings("127.0.0.1", 0, TOKEN, 1 << 20, 16 << 20, 8, 16, 16 << 20));
    String body = IntStream.range(0, 2000).mapToObj(i -> "\"line-" + i + "\"").collect(Collectors.joining("\n")) + "\n";
    load = new Thread(() -> {
      while (streaming.get()) {
        try {
          HttpResponse<Stream<String>> response = client.send(HttpRequest.newBuilder(URI.create(service.url() + "v1/streams/sha256"))
              .header("Content-Type", "application/x-ndjson").header("Authorization", "Bearer " + TOKEN)
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofLines());
          try (Stream<String> lines = response.body()) {
            lines.forEach(line -> streamed.incrementAndGet());
          }
        } catch (IOException | InterruptedException e) {
          if (streaming.get()) System.out.println("the dashboard test's stream failed: " + e);
        }
      }
    }, "dashboard-test-stream");
    load.setDaemon(true);
    load.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (layer.stats().succeeded() < 1000 && System.nanoTime() < deadline) Thread.sleep(50);
    assertTrue(layer.stats().succeeded() >= 1000, "the stream runs: " + layer.stats());
  }

  @AfterAll
  void stop() throws Exception {
    streaming.set(false);
    for (Process browser : browsers) kill(browser);
    if (load != null) load.join(TimeUnit.SECONDS.toMillis(30));
    if (layer != null) layer.close();
  }

  /**
   * Ends a Chromium and every process it started (renderers, GPU, zygotes), whatever happened: those seen
   * while it ran too, since once it has exited its helpers are orphans, no longer its descendants.
   */
  private void kill(Process process) {
    process.descendants().forEach(helpers::add);
    helpers.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
      for (ProcessHandle helper : helpers) helper.onExit().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      System.out.println("a Chromium helper did not end: " + e);
    }
  }

  /** Runs headless Chromium on {@code url} with {@code extra} arguments, in a fresh profile; returns its stdout. */
  private String chromium(String url, String... extra) throws Exception {
    Path profile = Files.createTempDirectory("pel-chromium-");
    Path out = Files.createTempFile("pel-chromium-", ".out");
    List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--user-data-dir=" + profile));
    command.addAll(List.of(extra));
    command.add(url);
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    browsers.add(process);
    try {
      long deadline = System.nanoTime() + BROWSER_TIMEOUT.toNanos();
      while (!process.waitFor(100, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) process.descendants().forEach(helpers::add);
      assertTrue(!process.isAlive(), "chromium did not end within " + BROWSER_TIMEOUT + ": " + command);
      return Files.readString(out, StandardCharsets.UTF_8);
    } finally {
      kill(process);
      Files.deleteIfExists(out);
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static String text(String dom, String id) {
    Matcher m = Pattern.compile("id=\"" + id + "\"[^>]*>([^<]*)<").matcher(dom);
    assertTrue(m.find(), "no #" + id + " in the DOM:\n" + dom);
    return m.group(1);
  }

  @Test
  void theDashboardShowsTheNodeAndItsThroughputWhileAStreamRuns() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), SKIPPED);
    String url = service.url() + "?token=" + TOKEN;
    // The cluster-size signal needs the node's first two load readings, 5 s apart: wait for it in the feed.
    long signalDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String feed = "";
    while (!feed.contains("\"autoscale\"") && System.nanoTime() < signalDeadline) {
      feed = client.send(HttpRequest.newBuilder(URI.create(service.url() + "v1/dashboard")).header("Authorization", "Bearer " + TOKEN).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      if (!feed.contains("\"autoscale\"")) Thread.sleep(200);
    }
    assertTrue(feed.contains("\"autoscale\""), "the feed has the cluster-size signal: " + feed);
    // The page computes the rate from its own polls of the feed; under virtual time those can fall a few real
    // milliseconds apart, so one take may not yet span a completed batch. Take the DOM again (a bounded number of
    // times) until it shows a rate; what it shows must then be above zero.
    String dom = null;
    double throughput = 0;
    int takes = 0;
    while (throughput <= 0 && takes < DOM_TAKES) {
      takes++;
      dom = chromium(url, "--virtual-time-budget=5000", "--dump-dom");
      throughput = Double.parseDouble(text(dom, "throughput"));
    }
    String node = Cluster.get(layer.system()).selfMember().address().toString();
    assertEquals(node, text(dom, "node"), dom);
    assertTrue(dom.contains("(this node)") || dom.contains("class=\"self\""), "the members table marks this node:\n" + dom);
    assertTrue(text(dom, "status").startsWith("live"), text(dom, "status"));
    assertTrue(throughput > 0, "throughput " + throughput + " in " + takes + " takes of the page while a stream runs ("
        + streamed.get() + " lines so far)");
    assertTrue(Long.parseLong(text(dom, "routees")) > 0);
    assertTrue(text(dom, "recommended").matches("\\d+"), "recommended nodes: " + text(dom, "recommended"));
    assertTrue(text(dom, "utilisation").matches("\\d+"), "cluster utilisation: " + text(dom, "utilisation"));
    assertTrue(dom.contains("<polyline id=\"line\" fill=\"none\" points=\"") && !dom.contains("points=\"\""), "the chart has points");

    Path screenshot = Paths.get("target", "dashboard.png").toAbsolutePath();
    Files.createDirectories(screenshot.getParent());
    Files.deleteIfExists(screenshot);
    chromium(url, "--virtual-time-budget=8000", "--hide-scrollbars", "--window-size=1280,900", "--screenshot=" + screenshot);
    assertTrue(Files.size(screenshot) > 10_000, "a screenshot at " + screenshot);
    System.out.println("DashboardBrowserTest: throughput " + throughput + " tasks/s in the page (take " + takes + "); screenshot at " + screenshot);
  }
}
