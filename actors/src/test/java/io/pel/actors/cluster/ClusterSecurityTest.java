package io.pel.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.testkit.JvmCluster;
import io.pel.testkit.JvmClusterBuilder;
import io.pel.testkit.JvmNode;
import io.pel.testkit.PelClusterExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cluster over Artery TLS ({@code tls-tcp}, mutual authentication) with key stores made for the test:
 * nodes 1 (a worker) and 2 (a client) share the cluster's certificate; node 3 presents one the cluster
 * does not trust. And a payload class that node 2 registered but node 1 did not is refused by node 1
 * while node 2's other tasks keep flowing. Nodes 2 and 3 are clients: their tasks can only run on node 1.
 */
class ClusterSecurityTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String PASSWORD = "pel-test-secret";
  private static final Path KEYS = Path.of(System.getProperty("basedir", "."), "target", "cluster-security-keys");
  private static final String SSL = "pekko.remote.artery.ssl.config-ssl-engine.";

  @RegisterExtension
  static final PelClusterExtension cluster = PelClusterExtension.of(tls(JvmCluster.builder(ClusterTestNode.class).nodes(3)
      .awaitUp(false)
      .property("pel.workers-per-node", "2")
      .roles(2, "client")
      .roles(3, "client")
      .nodeProperty(2, "cluster-test.secret", "true")
      .nodeProperty(3, SSL + "key-store", KEYS.resolve("rogue.p12").toString())
      .nodeProperty(3, SSL + "trust-store", KEYS.resolve("rogue-trust.p12").toString())));

  private static JvmClusterBuilder tls(JvmClusterBuilder builder) {
    return builder
        .property("pekko.remote.artery.transport", "tls-tcp")
        .property(SSL + "key-store", KEYS.resolve("cluster.p12").toString())
        .property(SSL + "trust-store", KEYS.resolve("cluster-trust.p12").toString())
        .property(SSL + "key-store-password", PASSWORD)
        .property(SSL + "key-password", PASSWORD)
        .property(SSL + "trust-store-password", PASSWORD)
        .property(SSL + "require-mutual-authentication", "on");
  }

  /** Two self-signed identities: the cluster's, trusted by all, and a rogue one that trusts the cluster. */
  @BeforeAll
  static void makeKeyStores() throws Exception {
    Files.createDirectories(KEYS);
    for (String name : List.of("cluster", "rogue")) {
      for (String file : List.of(name + ".p12", name + ".crt", name + "-trust.p12")) Files.deleteIfExists(KEYS.resolve(file));
      keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=pel-" + name,
          "-validity", "2", "-storetype", "PKCS12", "-keystore", name + ".p12", "-storepass", PASSWORD, "-keypass", PASSWORD);
      keytool("-exportcert", "-alias", name, "-keystore", name + ".p12", "-storepass", PASSWORD, "-file", name + ".crt");
    }
    for (String name : List.of("cluster", "rogue")) {
      keytool("-importcert", "-noprompt", "-alias", "cluster", "-file", "cluster.crt", "-storetype", "PKCS12",
          "-keystore", name + "-trust.p12", "-storepass", PASSWORD);
    }
    keytool("-importcert", "-noprompt", "-alias", "rogue", "-file", "rogue.crt", "-storetype", "PKCS12",
        "-keystore", "rogue-trust.p12", "-storepass", PASSWORD);
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(KEYS.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
    }
  }

  @Test
  void overTlsAnUntrustedNodeCannotJoinAndAnUnregisteredPayloadIsRefusedWhileOtherTasksFlow(JvmCluster nodes) {
    JvmNode worker = nodes.node(1);
    JvmNode client = nodes.node(2);
    JvmNode rogue = nodes.node(3);
    worker.awaitMembersUp(2, WAIT);
    client.awaitMembersUp(2, WAIT);
    client.call("routees 2", WAIT);
    rogue.call("run rogue 50 0", WAIT);

    // Node 2 registered Secret (id 5001 there); node 1 did not, so it must refuse those payloads, and only those.
    Map<String, String> secrets = client.callFields("secrets 200", WAIT);
    assertEquals(Long.toString(ClusterTest.checksum(200)), secrets.get("checksum"), "every ordinary task ran: " + secrets);
    assertEquals("200", secrets.get("refused"), secrets.toString());
    assertTrue(secrets.get("error").contains("unregistered_class_ID:_5001"), secrets.toString());

    // The rogue node's handshakes are refused: it is never a member, and the cluster stays two.
    String refusal = rogue.awaitLine("(?i)(SSLHandshakeException|certificate_unknown|bad_certificate|PKIX)", WAIT);
    assertTrue(rogue.isAlive(), "the rogue node keeps trying: " + refusal);
    assertEquals(List.of(), rogue.membersUp(), "the rogue node never joined");
    assertEquals(2, worker.membersUp().size(), worker.membersUp().toString());
    assertEquals("0", rogue.call("progress rogue", WAIT), "no task of the rogue node ran anywhere");
    assertEquals("200", worker.call("executed", WAIT), "node 1 ran node 2's 200 ordinary tasks and nothing else");
  }
}
