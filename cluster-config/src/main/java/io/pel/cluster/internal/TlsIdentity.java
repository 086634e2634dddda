package io.pel.cluster.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS identity made in memory: an EC P-256 key and a self-signed X.509 certificate for it, signed with
 * ECDSA over SHA-256. It serves where no certificate authority is wanted: a cluster of one node that trusts
 * only itself, and the shared identity of a test cluster. A cluster on real machines uses key stores made
 * by its own CA ({@code ./pel tls}); this class does not issue certificates for others.
 *
 * <p>The certificate is DER-encoded here (the JDK can parse certificates but offers no public API to make
 * one): version 3, a random positive serial, the common name as issuer and subject, no extensions.
 */
public final class TlsIdentity {

  /** The alias of the key entry and of the trusted certificate in the stores this class writes. */
  public static final String ALIAS = "pel";
  private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
  private static final String COMMON_NAME = "2.5.4.3";
  private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter GENERALIZED_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
  /** UTCTime holds the years 1950 to 2049; later dates are GeneralizedTime (RFC 5280, 4.1.2.5). */
  private static final Instant UTC_TIME_END = Instant.parse("2050-01-01T00:00:00Z");

  private final PrivateKey key;
  private final X509Certificate certificate;

  private TlsIdentity(PrivateKey key, X509Certificate certificate) {
    this.key = key;
    this.certificate = certificate;
  }

  /**
   * A new key and a certificate for it named {@code CN=commonName}, valid from a minute before {@code now}
   * (clocks of two machines differ a little) for {@code validity}.
   */
  public static TlsIdentity generate(String commonName, Instant now, Duration validity) {
    Objects.requireNonNull(commonName, "commonName");
    Objects.requireNonNull(now, "now");
    if (validity.isNegative() || validity.isZero()) throw new IllegalArgumentException("validity must be positive, was " + validity);
    try {
      SecureRandom random = new SecureRandom();
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      KeyPair pair = generator.generateKeyPair();
      Instant from = now.minus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.SECONDS);
      Instant until = now.plus(validity).truncatedTo(ChronoUnit.SECONDS);
      byte[] name = sequence(set(sequence(oid(COMMON_NAME), utf8(commonName))));
      byte[] tbs = sequence(
          explicit(0, integer(BigInteger.TWO)), // version 3
          integer(new BigInteger(63, random).add(BigInteger.ONE)),
          sequence(oid(ECDSA_WITH_SHA256)),
          name,
          sequence(time(from), time(until)),
          name,
          pair.getPublic().getEncoded()); // already a DER SubjectPublicKeyInfo
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(pair.getPrivate(), random);
      signer.update(tbs);
      byte[] der = sequence(tbs, sequence(oid(ECDSA_WITH_SHA256)), bitString(signer.sign()));
      X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
      certificate.verify(pair.getPublic());
      return new TlsIdentity(pair.getPrivate(), certificate);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot make an EC P-256 key and certificate: " + e, e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** A PKCS12 store with the key and its certificate under {@link #ALIAS}. */
  public KeyStore keyStore(char[] password) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(ALIAS, key, password, new Certificate[] {certificate});
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot make a PKCS12 key store: " + e, e);
    }
  }

  /** A PKCS12 store that trusts this identity's certificate, and nothing else. */
  public KeyStore trustStore() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry(ALIAS, certificate);
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot make a PKCS12 trust store: " + e, e);
    }
  }

  /** Writes {@link #keyStore} and {@link #trustStore} (both under {@code password}) to the two files. */
  public void write(Path keyStoreFile, Path trustStoreFile, char[] password) throws IOException {
    store(keyStore(password), keyStoreFile, password);
    store(trustStore(), trustStoreFile, password);
  }

  /**
   * A TLS context that presents this identity and trusts only it: a peer gets through a handshake with it
   * only by presenting this very certificate.
   */
  public SSLContext sslContext(SecureRandom random) {
    try {
      char[] password = new char[0];
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(keyStore(password), password);
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trustStore());
      SSLContext context = SSLContext.getInstance("TLSv1.3");
      context.init(keys.getKeyManagers(), trust.getTrustManagers(), random);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a TLS 1.3 context: " + e, e);
    }
  }

  private static void store(KeyStore store, Path file, char[] password) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot write the key store " + file + ": " + e, e);
    }
  }

  // DER, as much of it as a certificate needs (X.690).

  private static byte[] tlv(int tag, byte[]... contents) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] c : contents) body.writeBytes(c);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = body.size();
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) out.write(length >>> (8 * i));
    }
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  private static byte[] sequence(byte[]... contents) {
    return tlv(0x30, contents);
  }

  private static byte[] set(byte[]... contents) {
    return tlv(0x31, contents);
  }

  private static byte[] explicit(int number, byte[] content) {
    return tlv(0xA0 | number, content);
  }

  private static byte[] integer(BigInteger value) {
    return tlv(0x02, value.toByteArray());
  }

  private static byte[] utf8(String text) {
    return tlv(0x0C, text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] bitString(byte[] bits) {
    return tlv(0x03, new byte[] {0}, bits); // no unused bits
  }

  private static byte[] time(Instant instant) {
    if (instant.isBefore(UTC_TIME_END)) return tlv(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
    return tlv(0x18, GENERALIZED_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
  }

  static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    base128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
    for (int i = 2; i < arcs.length; i++) base128(out, Long.parseLong(arcs[i]));
    return tlv(0x06, out.toByteArray());
  }

  private static void base128(ByteArrayOutputStream out, long value) {
    int groups = Math.max(1, (Long.SIZE - Long.numberOfLeadingZeros(value) + 6) / 7);
    for (int i = groups - 1; i >= 0; i--) {
      int group = (int) ((value >>> (7 * i)) & 0x7F);
      out.write(i == 0 ? group : group | 0x80);
    }
  }
}
