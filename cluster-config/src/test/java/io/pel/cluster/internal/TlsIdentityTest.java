package io.pel.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-memory TLS identity: a certificate the JDK parses, with the name and validity asked for, and stores that open. */
class TlsIdentityTest {

  private static final Instant NOW = Instant.parse("2026-12-03T10:15:30.500Z");

  @Test
  void theCertificateIsSelfSignedWithTheNameAndValidityAskedFor() throws Exception {
    X509Certificate c = TlsIdentity.generate("pel-node-a", NOW, Duration.ofDays(2)).certificate();
    assertEquals("CN=pel-node-a", c.getSubjectX500Principal().getName());
    assertEquals(c.getSubjectX500Principal(), c.getIssuerX500Principal());
    c.verify(c.getPublicKey());
    assertEquals(3, c.getVersion());
    assertEquals("SHA256withECDSA", c.getSigAlgName());
    assertEquals(Instant.parse("2026-12-03T10:14:30Z"), c.getNotBefore().toInstant(), "a minute early, for clocks that differ");
    assertEquals(Instant.parse("2026-12-05T10:15:30Z"), c.getNotAfter().toInstant());
    assertTrue(c.getSerialNumber().signum() > 0);
  }

  @Test
  void datesFrom2050AreWrittenAsGeneralizedTime() throws Exception {
    X509Certificate c = TlsIdentity.generate("late", Instant.parse("2049-12-31T12:00:00Z"), Duration.ofDays(2)).certificate();
    assertEquals(Instant.parse("2050-01-02T12:00:00Z"), c.getNotAfter().toInstant());
  }

  @Test
  void aLongNameNeedsALongDerLength() throws Exception {
    String name = "n".repeat(300);
    assertEquals("CN=" + name, TlsIdentity.generate(name, NOW, Duration.ofDays(1)).certificate().getSubjectX500Principal().getName());
  }

  @Test
  void theWrittenStoresOpenWithThePasswordAndHoldTheKeyAndTheCertificate(@TempDir Path dir) throws Exception {
    TlsIdentity identity = TlsIdentity.generate("pel-node-b", NOW, Duration.ofDays(1));
    char[] password = "secret".toCharArray();
    identity.write(dir.resolve("node.p12"), dir.resolve("trust.p12"), password);
    KeyStore keys = load(dir.resolve("node.p12"), password);
    assertTrue(keys.isKeyEntry(TlsIdentity.ALIAS));
    assertArrayEquals(identity.certificate().getEncoded(), keys.getCertificate(TlsIdentity.ALIAS).getEncoded());
    KeyStore trust = load(dir.resolve("trust.p12"), password);
    assertTrue(trust.isCertificateEntry(TlsIdentity.ALIAS));
    assertThrows(java.io.IOException.class, () -> load(dir.resolve("node.p12"), "wrong".toCharArray()));
  }

  @Test
  void aValidityThatIsNotPositiveIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> TlsIdentity.generate("x", NOW, Duration.ZERO));
  }

  @Test
  void objectIdentifiersEncodeAsX690Says() {
    // 1.2.840.10045.4.3.2 (ecdsa-with-SHA256): 06 08 2A 86 48 CE 3D 04 03 02
    assertArrayEquals(new byte[] {0x06, 0x08, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x04, 0x03, 0x02}, TlsIdentity.oid("1.2.840.10045.4.3.2"));
    assertArrayEquals(new byte[] {0x06, 0x03, 0x55, 0x04, 0x03}, TlsIdentity.oid("2.5.4.3"));
  }

  private static KeyStore load(Path file, char[] password) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, password);
    }
    return store;
  }
}
