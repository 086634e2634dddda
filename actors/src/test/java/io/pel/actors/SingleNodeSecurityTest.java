package io.pel.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.cluster.internal.TlsIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node started with no configuration at all is a cluster of one that nothing else can connect to: its
 * Artery port speaks TLS with mutual authentication and trusts only the key the node made at start. Each
 * stranger below is refused by the node itself (it trusts whatever the node presents), and the node's own
 * work goes on untouched.
 */
class SingleNodeSecurityTest {

  private static final TaskType<Integer, Integer> SQUARE = TaskType.of("single-node-square", Integer.class, Integer.class);
  /** A refusal comes in milliseconds; a port that let the stranger in would leave it waiting this long for Artery's reply. */
  private static final int READ_TIMEOUT_MILLIS = 10_000;
  private static ExecutionLayer layer;
  private static int port;

  @BeforeAll
  static void start() {
    layer = ExecutionLayer.start();
    layer.register(SQUARE, (i, ctx) -> i * i);
    port = (Integer) layer.system().address().port().get();
  }

  @AfterAll
  static void stop() {
    layer.close();
  }

  @Test
  void aStrangerWithACertificateOfItsOwnIsRefused() throws Exception {
    TlsIdentity stranger = TlsIdentity.generate("stranger", Instant.now(), Duration.ofDays(1));
    assertRefused(tlsClient(keyManagers(stranger.keyStore("pw".toCharArray()), "pw")), "a certificate the node did not make");
    assertWorkGoesOn();
  }

  @Test
  void aStrangerWithoutACertificateIsRefused() throws Exception {
    assertRefused(tlsClient(null), "no client certificate");
    assertWorkGoesOn();
  }

  @Test
  void plainTcpGetsNothingThrough() throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      // Bytes as a plain Artery TCP peer would send first (its magic and stream id), not a TLS hello.
      socket.getOutputStream().write("AKKA".getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(new byte[] {1, 0, 0, 0, 0, 0, 0, 0});
      socket.getOutputStream().flush();
      assertClosed(socket.getInputStream(), "plain TCP");
    }
    assertWorkGoesOn();
  }

  private static void assertWorkGoesOn() throws Exception {
    assertEquals(49, Layers.await(layer.submit(SQUARE, 7)));
  }

  /** The TLS handshake, or the first read after it, fails: the node closes on a peer it does not trust. */
  private static void assertRefused(SSLContext client, String who) throws IOException {
    try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      try {
        socket.startHandshake(); // in TLS 1.3 the client may finish before the server has checked its certificate
        socket.getOutputStream().write("AKKA".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
      } catch (SSLException refused) {
        return;
      }
      assertClosed(socket.getInputStream(), who);
    }
  }

  private static void assertClosed(InputStream in, String who) {
    try {
      int read = in.read();
      assertEquals(-1, read, who + ": the node sent data instead of closing");
    } catch (SocketTimeoutException e) {
      throw new AssertionError(who + ": the node kept the connection open for " + READ_TIMEOUT_MILLIS + " ms: it let the stranger in", e);
    } catch (IOException refused) {
      assertTrue(refused instanceof SSLException || refused.getMessage() != null, String.valueOf(refused));
    }
  }

  /** A client that trusts any server, so that a failure can only be the node refusing the client. */
  private static SSLContext tlsClient(KeyManager[] keys) throws Exception {
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(keys, new TrustManager[] {new TrustAnything()}, null);
    return context;
  }

  private static KeyManager[] keyManagers(KeyStore store, String password) throws Exception {
    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, password.toCharArray());
    return factory.getKeyManagers();
  }

  private static final class TrustAnything implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
