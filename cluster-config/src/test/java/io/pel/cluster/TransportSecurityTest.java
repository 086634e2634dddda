package io.pel.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.pel.cluster.internal.SingleNodeTls;
import io.pel.cluster.internal.TlsIdentity;
import io.pel.cluster.internal.TransportSecurity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a node's transport is secured, decided from its settings: closed by default, open only when asked, loudly. */
class TransportSecurityTest {

  private static final String PASSWORD = "test-secret";
  @TempDir static Path dir;
  private static Path keyStore;
  private static Path trustStore;

  @BeforeAll
  static void keyStores() throws IOException {
    keyStore = dir.resolve("node.p12");
    trustStore = dir.resolve("trust.p12");
    TlsIdentity.generate("pel-test", Instant.now(), Duration.ofDays(1)).write(keyStore, trustStore, PASSWORD.toCharArray());
  }

  private static Config resolve(String hocon, Map<String, String> env) {
    return PelNode.config(ConfigFactory.parseString(hocon), env);
  }

  private static Map<String, String> tls(String... more) {
    Map<String, String> env = new java.util.HashMap<>(Map.of(
        "PEL_TLS_KEY_STORE", keyStore.toString(), "PEL_TLS_TRUST_STORE", trustStore.toString(), "PEL_TLS_PASSWORD", PASSWORD));
    for (int i = 0; i < more.length; i += 2) env.put(more[i], more[i + 1]);
    return env;
  }

  @Test
  void aNodeWithNothingSetFormsAClusterOfOneOverTlsWithAKeyOfItsOwn() {
    Config c = resolve("", Map.of());
    assertEquals("tls-tcp", c.getString("pekko.remote.artery.transport"));
    assertEquals(SingleNodeTls.class.getName(), c.getString("pekko.remote.artery.ssl.ssl-engine-provider"));
    assertEquals(TransportSecurity.Mode.SINGLE_NODE_TLS, TransportSecurity.of(c));
    assertTrue(TransportSecurity.describe(TransportSecurity.of(c), c).contains("no other process can connect"));
  }

  @Test
  void aNodeWithSeedNodesButNoTlsDoesNotStartAndTheErrorSaysWhatWouldLetIt() {
    InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> resolve("", Map.of("PEL_SEED_NODES", "10.0.0.1:25520")));
    assertEquals("PEL_SEED_NODES", e.setting());
    assertTrue(e.getMessage().contains("mutual TLS"), e.getMessage());
    assertTrue(e.getMessage().contains("PEL_TLS_KEY_STORE") && e.getMessage().contains("./pel tls"), e.getMessage());
    assertTrue(e.getMessage().contains("pel.insecure-cluster = on"), e.getMessage());
    InvalidSettingException hocon = assertThrows(InvalidSettingException.class, () -> resolve("pel.node.seed-nodes = [\"h:1\"]", Map.of()));
    assertEquals("pel.node.seed-nodes", hocon.setting());
  }

  @Test
  void aNodeThatDiscoversTheOthersJoinsOthersSoWithoutTlsItDoesNotStart() {
    InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> resolve("", Map.of("PEL_DISCOVERY", "kubernetes-api")));
    assertEquals("PEL_DISCOVERY", e.setting());
    assertTrue(e.getMessage().contains("mutual TLS") && e.getMessage().contains("PEL_TLS_KEY_STORE"), e.getMessage());
    assertTrue(e.getMessage().contains("pel.insecure-cluster = on"), e.getMessage());
    InvalidSettingException hocon = assertThrows(InvalidSettingException.class, () -> resolve("pel.node.discovery = config", Map.of()));
    assertEquals("pel.node.discovery", hocon.setting());

    assertEquals(TransportSecurity.Mode.CLUSTER_TLS, TransportSecurity.of(resolve("", tls("PEL_DISCOVERY", "kubernetes-api"))));
    Config insecure = resolve("", Map.of("PEL_DISCOVERY", "config", "PEL_INSECURE_CLUSTER", "true"));
    assertEquals(TransportSecurity.Mode.INSECURE, TransportSecurity.of(insecure));
  }

  @Test
  void theClustersKeyStoresGiveMutualTlsAndSeedNodesMayBeUsed() {
    Config c = resolve("", tls("PEL_SEED_NODES", "10.0.0.1:25520"));
    assertEquals("tls-tcp", c.getString("pekko.remote.artery.transport"));
    String engine = "pekko.remote.artery.ssl.config-ssl-engine.";
    assertEquals(keyStore.toString(), c.getString(engine + "key-store"));
    assertEquals(trustStore.toString(), c.getString(engine + "trust-store"));
    assertEquals(PASSWORD, c.getString(engine + "key-store-password"));
    assertTrue(c.getBoolean(engine + "require-mutual-authentication"));
    assertEquals("org.apache.pekko.remote.artery.tcp.ConfigSSLEngineProvider", c.getString("pekko.remote.artery.ssl.ssl-engine-provider"));
    assertEquals(TransportSecurity.Mode.CLUSTER_TLS, TransportSecurity.of(c));
  }

  @Test
  void insecureIsAnExplicitChoiceAndSaysWhatItCosts() {
    Config c = resolve("", Map.of("PEL_SEED_NODES", "10.0.0.1:25520", "PEL_INSECURE_CLUSTER", "true"));
    assertEquals("tcp", c.getString("pekko.remote.artery.transport"));
    assertEquals(TransportSecurity.Mode.INSECURE, TransportSecurity.of(c));
    String said = TransportSecurity.describe(TransportSecurity.Mode.INSECURE, c);
    assertTrue(said.startsWith("INSECURE") && said.contains("forged results"), said);
  }

  @Test
  void artery_sOwnTlsIsKeptButNotWithoutMutualAuthentication() {
    String own = "pekko.remote.artery.transport = tls-tcp\n";
    assertEquals(TransportSecurity.Mode.PEKKO_TLS, TransportSecurity.of(resolve(own, Map.of("PEL_SEED_NODES", "h:1"))));
    String key = "pekko.remote.artery.ssl.config-ssl-engine.require-mutual-authentication";
    InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> resolve(own + key + " = off", Map.of("PEL_SEED_NODES", "h:1")));
    assertEquals(key, e.setting());
  }

  @Test
  void badKeyMaterialIsNamedBeforeTheNodeStarts() throws IOException {
    assertNamed("pel.tls.trust-store", "since pel.tls.key-store is set", Map.of("PEL_TLS_KEY_STORE", keyStore.toString(), "PEL_TLS_PASSWORD", PASSWORD));
    assertNamed("pel.tls.key-store", "since pel.tls.trust-store is set", Map.of("PEL_TLS_TRUST_STORE", trustStore.toString(), "PEL_TLS_PASSWORD", PASSWORD));
    assertNamed("pel.tls.password", "password of the key stores", Map.of("PEL_TLS_KEY_STORE", keyStore.toString(), "PEL_TLS_TRUST_STORE", trustStore.toString()));
    assertNamed("PEL_TLS_KEY_STORE", "none is there", tls("PEL_TLS_KEY_STORE", dir.resolve("missing.p12").toString()));
    assertNamed("PEL_TLS_KEY_STORE", "wrong password", tls("PEL_TLS_PASSWORD", "not-it"));
    assertNamed("PEL_TLS_KEY_STORE", "private key", tls("PEL_TLS_KEY_STORE", trustStore.toString()));
    Path garbage = Files.writeString(dir.resolve("garbage.p12"), "not a key store");
    assertNamed("PEL_TLS_TRUST_STORE", "PKCS12", tls("PEL_TLS_TRUST_STORE", garbage.toString()));
    assertNamed("PEL_INSECURE_CLUSTER", "on or off", Map.of("PEL_INSECURE_CLUSTER", "maybe"));
  }

  private static void assertNamed(String setting, String why, Map<String, String> env) {
    InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> resolve("", env));
    assertEquals(setting, e.setting(), e.getMessage());
    assertTrue(e.getMessage().contains(why), e.getMessage());
  }
}
