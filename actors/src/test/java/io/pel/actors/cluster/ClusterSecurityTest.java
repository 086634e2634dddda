package io.pel.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.cluster.internal.TlsIdentity;
import io.pel.testkit.JvmCluster;
import io.pel.testkit.JvmNode;
import io.pel.testkit.PelClusterExtension;
import io.pel.testkit.TestTls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cluster with PEL's default transport security: nodes 1 (a worker) and 2 (a client) get the test
 * cluster's key stores from the test kit ({@link TestTls}) and so talk mutual TLS. Node 3 presents a
 * certificate of its own (trusting the cluster's, so that the refusal is the cluster's); node 4 talks plain
 * TCP, as {@code pel.insecure-cluster = on} lets it. Neither can join, and nothing they send reaches a caller.
 * And a payload class that node 2 registered but node 1 did not is refused by node 1 while node 2's other
 * tasks keep flowing. Nodes 2 to 4 are clients: their tasks can only run on node 1.
 */
class ClusterSecurityTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Path KEYS = Path.of(System.getProperty("basedir", "."), "target", "cluster-security-keys");

  @RegisterExtension
  static final PelClusterExtension cluster = PelClusterExtension.of(JvmCluster.builder(ClusterTestNode.class).nodes(4)
      .awaitUp(false)
      .property("pel.workers-per-node", "2")
      .roles(2, "client")
      .roles(3, "client")
      .roles(4, "client")
      .nodeProperty(2, "cluster-test.secret", "true")
      .nodeProperty(3, "pel.tls.key-store", KEYS.resolve("rogue.p12").toString())
      .nodeProperty(3, "pel.tls.trust-store", TestTls.settings().get("pel.tls.trust-store"))
      .nodeProperty(4, "pel.tls.key-store", "")
      .nodeProperty(4, "pel.tls.trust-store", "")
      .nodeProperty(4, "pel.insecure-cluster", "on"));

  /** The rogue's own identity, under the test cluster's password so that one pel.tls.password opens both its stores. */
  @BeforeAll
  static void makeRogueKeyStore() throws IOException {
    Files.createDirectories(KEYS);
    TlsIdentity.generate("pel-rogue", Instant.now(), Duration.ofDays(1))
        .write(KEYS.resolve("rogue.p12"), KEYS.resolve("rogue-trust.p12"), TestTls.settings().get("pel.tls.password").toCharArray());
  }

  @Test
  void overTlsAnUntrustedNodeCannotJoinAndAnUnregisteredPayloadIsRefusedWhileOtherTasksFlow(JvmCluster nodes) {
    JvmNode worker = nodes.node(1);
    JvmNode client = nodes.node(2);
    JvmNode rogue = nodes.node(3);
    JvmNode plain = nodes.node(4);
    worker.awaitMembersUp(2, WAIT);
    client.awaitMembersUp(2, WAIT);
    client.call("routees 2", WAIT);
    rogue.call("run rogue 50 0", WAIT);
    plain.call("run plain 50 0", WAIT);

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
    // Its joins fail while node 1 is up (Pekko retries every 2 s here): the TLS port drops plain connections.
    String plainRefusal = plain.awaitLine("Couldn't join seed nodes", WAIT);
    assertTrue(plain.isAlive(), "the plain node keeps trying: " + plainRefusal);
    assertEquals(List.of(), plain.membersUp(), "the plain node never joined");
    assertEquals("0", plain.call("progress plain", WAIT), "no task of the plain node ran anywhere");
    assertEquals(2, worker.membersUp().size(), worker.membersUp().toString());
    assertEquals("200", worker.call("executed", WAIT), "node 1 ran node 2's 200 ordinary tasks and nothing else");
  }
}
