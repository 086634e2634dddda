package io.pel.testkit;

import io.pel.cluster.internal.TlsIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The TLS identity of test clusters: a key and certificate made once per test JVM, shared by every node of
 * every cluster the JVM starts, and written with a random password to a temporary directory removed when the
 * JVM exits. A PEL node joins others only over mutual TLS ({@code pel.tls.*}); {@link JvmCluster} gives its
 * nodes these settings unless the test sets its own TLS or {@code pel.insecure-cluster}. A test that runs
 * several nodes in one JVM gives each node {@link #settings()}, as HOCON with {@link #hocon()}.
 */
public final class TestTls {

  private static final String PASSWORD = UUID.randomUUID().toString();
  private static volatile Map<String, String> settings;

  private TestTls() {}

  /** {@code pel.tls.key-store}, {@code pel.tls.trust-store} and {@code pel.tls.password} of the shared identity. */
  public static Map<String, String> settings() {
    Map<String, String> made = settings;
    if (made != null) return made;
    synchronized (TestTls.class) {
      if (settings == null) settings = make();
      return settings;
    }
  }

  /** {@link #settings()} as HOCON lines, to prepend to a node's own settings. */
  public static String hocon() {
    StringBuilder out = new StringBuilder();
    settings().forEach((key, value) -> out.append(key).append(" = \"").append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n"));
    return out.toString();
  }

  private static Map<String, String> make() {
    try {
      Path dir = Files.createTempDirectory("pel-test-tls-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir), "pel-test-tls-cleanup"));
      Path keyStore = dir.resolve("node.p12");
      Path trustStore = dir.resolve("trust.p12");
      TlsIdentity.generate("pel-test-cluster", Instant.now(), Duration.ofDays(2)).write(keyStore, trustStore, PASSWORD.toCharArray());
      return Map.of("pel.tls.key-store", keyStore.toString(), "pel.tls.trust-store", trustStore.toString(), "pel.tls.password", PASSWORD);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the test cluster's key stores", e);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory left behind is harmless
    }
  }
}
