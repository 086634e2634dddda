package io.pel.bench;

import io.pel.testkit.JvmCluster;
import io.pel.testkit.JvmNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The node of {@code ./pel start} ({@code io.pel.service.NodeMain}) in a JVM of its own, for the {@code http}
 * workload: started through the test kit from the class path {@code ./pel start} uses, {@code
 * samples/target/pel-samples.jar} and {@code samples/target/lib}, on free ports (Artery and HTTP), with its
 * job store in a temporary directory.
 *
 * <p>The bench does not depend on the samples (nothing does): it finds their jars at run time, beside its
 * own build output, so {@code ./pel bench http} needs the samples module built ({@code ./pel} builds it).
 *
 * <p>{@link #close()} kills the node's JVM, waits for it to exit, and deletes the temporary directory. The
 * test kit also kills it from a shutdown hook of this JVM, and the node exits by itself when this JVM dies
 * (its stdin closes), so it never outlives the bench.
 */
final class ServiceNodeJvm implements AutoCloseable {

  /** The node's main class, as {@code ./pel start} runs it. */
  static final String MAIN_CLASS = "io.pel.service.NodeMain";
  /** The node's JVM options: a heap of its own and otherwise the JVM's defaults, as {@code ./pel start} has. */
  static final String[] JVM_OPTIONS = {"-Xmx1g"};
  /** How long the node may take to start and serve. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Pattern READY = Pattern.compile("service ready: (http://\\S+/)");
  private static final Pattern STARTED = Pattern.compile("node started: .*, (\\d+) routees");

  private final JvmCluster cluster;
  private final Path dataDirectory;
  private final String url;
  private final int routees;

  private ServiceNodeJvm(JvmCluster cluster, Path dataDirectory, String url, int routees) {
    this.cluster = cluster;
    this.dataDirectory = dataDirectory;
    this.url = url;
    this.routees = routees;
  }

  /**
   * Starts the node, logging to {@link #logDirectory()}, and returns once it serves.
   *
   * @throws IllegalStateException if the samples are not built
   * @throws AssertionError if the node does not say it serves within {@link #START_TIMEOUT}; nothing is left running
   */
  static ServiceNodeJvm start() throws IOException {
    List<Path> classPath = samplesClassPath();
    Path data = Files.createTempDirectory("pel-bench-http-");
    JvmCluster cluster;
    try {
      cluster = JvmCluster.builder(MAIN_CLASS, classPath)
          .nodes(1)
          .jvmOptions(JVM_OPTIONS)
          .env("PEL_HTTP_HOST", "127.0.0.1")
          .env("PEL_HTTP_PORT", "0")
          .env("PEL_DATA_DIR", data.toString())
          .logDirectory(logDirectory())
          .startTimeout(START_TIMEOUT)
          .start();
    } catch (RuntimeException | Error e) {
      delete(data);
      throw e;
    }
    try {
      JvmNode node = cluster.node(1);
      Matcher ready = READY.matcher(node.awaitLine(READY, START_TIMEOUT));
      Matcher started = STARTED.matcher(node.awaitLine(STARTED, START_TIMEOUT));
      if (!ready.find() || !started.find()) throw new IllegalStateException("the node's start-up lines changed: " + node.lines());
      return new ServiceNodeJvm(cluster, data, ready.group(1), Integer.parseInt(started.group(1)));
    } catch (RuntimeException | Error e) {
      try {
        cluster.close();
      } finally {
        delete(data);
      }
      throw e;
    }
  }

  /** {@code samples/target/pel-samples.jar} and the jars of {@code samples/target/lib}, as {@code ./pel start} runs them. */
  static List<Path> samplesClassPath() throws IOException {
    Path target = BenchContext.targetDirectory().getParent().getParent().resolve("samples").resolve("target");
    Path jar = target.resolve("pel-samples.jar");
    Path lib = target.resolve("lib");
    if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
      throw new IllegalStateException("the http workload runs ./pel start's node from " + jar + " and " + lib
          + ", which are not built: build the samples (mvn -B -DskipTests package -pl samples -am; ./pel builds them)");
    }
    List<Path> classPath = new ArrayList<>();
    classPath.add(jar);
    try (Stream<Path> jars = Files.list(lib)) {
      jars.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().forEach(classPath::add);
    }
    return classPath;
  }

  /** {@code bench/target/http-bench}: beside the bench's classes or jar, wherever it runs from. */
  static Path logDirectory() {
    return BenchContext.targetDirectory().resolve("http-bench");
  }

  /** Where the service listens: {@code http://127.0.0.1:<port>/}. */
  String url() {
    return url;
  }

  /** The node's routees, as it printed them when it started. */
  int routees() {
    return routees;
  }

  /** The node JVM's process id. */
  long pid() {
    return cluster.node(1).pid();
  }

  /** The node JVM's log file. */
  Path logFile() {
    return cluster.node(1).logFile();
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } finally {
      delete(dataDirectory);
    }
  }

  private static void delete(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + directory, e);
    }
  }
}
