package io.pel.cluster.internal;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.remote.artery.tcp.SSLEngineProvider;
import scala.Option;

/**
 * Artery's TLS for a node that forms a cluster of one without any key material configured: at start the
 * node makes a key and certificate of its own ({@link TlsIdentity}) and trusts that certificate only, with
 * mutual authentication. No other process has the key, so none can complete a handshake with the node's
 * port: nothing can join it, and no message reaches it from outside. Named by {@code
 * pekko.remote.artery.ssl.ssl-engine-provider}; Pekko makes one per actor system.
 */
public final class SingleNodeTls implements SSLEngineProvider {

  /** Longer than any node runs between restarts; the identity is made anew at every start. */
  static final Duration VALIDITY = Duration.ofDays(3650);
  private static final String[] PROTOCOLS = {"TLSv1.3"};

  private final SSLContext context;

  public SingleNodeTls(ActorSystem system) {
    this.context = TlsIdentity.generate("pel-node-" + system.name(), Instant.now(), VALIDITY).sslContext(new SecureRandom());
  }

  @Override
  public SSLEngine createServerSSLEngine(String hostname, int port) {
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    engine.setNeedClientAuth(true);
    engine.setEnabledProtocols(PROTOCOLS);
    return engine;
  }

  @Override
  public SSLEngine createClientSSLEngine(String hostname, int port) {
    SSLEngine engine = context.createSSLEngine(hostname, port);
    engine.setUseClientMode(true);
    engine.setEnabledProtocols(PROTOCOLS);
    return engine;
  }

  @Override
  public Option<Throwable> verifyClientSession(String hostname, SSLSession session) {
    return Option.empty(); // the handshake already required the peer to present this node's own certificate
  }

  @Override
  public Option<Throwable> verifyServerSession(String hostname, SSLSession session) {
    return Option.empty();
  }
}
