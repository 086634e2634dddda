package io.pel.cluster.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.pel.cluster.InvalidSettingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * How a node's Artery transport is secured, decided from its settings before the actor system starts. A
 * node joins or forms a cluster of several only over mutual TLS, or with {@code pel.insecure-cluster = on}:
 *
 * <ul>
 *   <li>{@link Mode#CLUSTER_TLS}: {@code pel.tls.*} name the cluster's key material; every node presents a
 *       certificate the others trust, and a process without one cannot connect.
 *   <li>{@link Mode#PEKKO_TLS}: the application configured Artery's {@code tls-tcp} itself.
 *   <li>{@link Mode#SINGLE_NODE_TLS}: no key material, no seed nodes and no discovery: the node forms a cluster of one
 *       over TLS with a key of its own ({@link SingleNodeTls}), so nothing else can connect. Zero
 *       configuration, as before, and closed.
 *   <li>{@link Mode#INSECURE}: plain TCP, as asked for by {@code pel.insecure-cluster}; logged as a warning.
 * </ul>
 *
 * A node that joins others (it has seed nodes, or finds them through {@code pel.node.discovery}) and has
 * neither TLS nor the insecure setting does not start: its error names the settings that would let it.
 */
public final class TransportSecurity {

  public enum Mode { CLUSTER_TLS, PEKKO_TLS, SINGLE_NODE_TLS, INSECURE }

  private static final String ARTERY = "pekko.remote.artery.";
  private static final String SSL = ARTERY + "ssl.";
  private static final String ENGINE = SSL + "config-ssl-engine.";
  private static final String CONFIG_PROVIDER = "org.apache.pekko.remote.artery.tcp.ConfigSSLEngineProvider";
  static final String ENABLE = "set pel.tls.key-store, pel.tls.trust-store and pel.tls.password (PEL_TLS_KEY_STORE, "
      + "PEL_TLS_TRUST_STORE, PEL_TLS_PASSWORD; './pel tls' makes them), or, on a network you trust, "
      + "pel.insecure-cluster = on (PEL_INSECURE_CLUSTER=true)";

  private TransportSecurity() {}

  /**
   * The mode for {@code config} (resolved, before PEL's derived settings), with the Pekko settings it adds
   * put into {@code derived}.
   *
   * @param seeds the node's seed nodes: with any, it joins others instead of itself
   * @param discovery {@code pel.node.discovery}: other than {@code none}, it joins the others it discovers
   * @param source the environment variable that set a key, or the key itself, for error messages
   * @throws InvalidSettingException naming the setting that keeps the node from being secured
   */
  public static Mode decide(Config config, List<String> seeds, String discovery, UnaryOperator<String> source,
      Map<String, Object> derived) {
    boolean insecure = bool(config, "pel.insecure-cluster", source);
    String keyStore = config.getString("pel.tls.key-store").trim();
    String trustStore = config.getString("pel.tls.trust-store").trim();
    String password = config.getString("pel.tls.password");
    if (!keyStore.isEmpty() || !trustStore.isEmpty()) {
      if (keyStore.isEmpty()) throw new InvalidSettingException(source.apply("pel.tls.key-store"), "", "this node's key store (PKCS12), since pel.tls.trust-store is set");
      if (trustStore.isEmpty()) throw new InvalidSettingException(source.apply("pel.tls.trust-store"), "", "the cluster's trust store (PKCS12), since pel.tls.key-store is set");
      if (password.isEmpty()) throw new InvalidSettingException(source.apply("pel.tls.password"), "", "the password of the key stores");
      check(keyStore, password, source.apply("pel.tls.key-store"), true);
      check(trustStore, password, source.apply("pel.tls.trust-store"), false);
      derived.put(ARTERY + "transport", "tls-tcp");
      derived.put(SSL + "ssl-engine-provider", CONFIG_PROVIDER);
      derived.put(ENGINE + "key-store", keyStore);
      derived.put(ENGINE + "trust-store", trustStore);
      derived.put(ENGINE + "key-store-password", password);
      derived.put(ENGINE + "key-password", password);
      derived.put(ENGINE + "trust-store-password", password);
      derived.put(ENGINE + "require-mutual-authentication", "on");
      return Mode.CLUSTER_TLS;
    }
    String transport = config.getString(ARTERY + "transport");
    if (transport.equals("tls-tcp")) {
      boolean configProvider = config.getString(SSL + "ssl-engine-provider").equals(CONFIG_PROVIDER);
      if (configProvider && !config.getBoolean(ENGINE + "require-mutual-authentication") && !insecure) {
        throw new InvalidSettingException(ENGINE + "require-mutual-authentication", "off",
            "on: without it a node accepts connections from any process, certificate or not (or pel.insecure-cluster = on)");
      }
      return Mode.PEKKO_TLS;
    }
    if (insecure) return Mode.INSECURE;
    if (!transport.equals("tcp")) {
      throw new InvalidSettingException(ARTERY + "transport", transport, "tcp or tls-tcp: " + transport
          + " has no authentication (or pel.insecure-cluster = on)");
    }
    if (!seeds.isEmpty()) {
      throw new InvalidSettingException(source.apply("pel.node.seed-nodes"), seeds,
          "seed nodes only over mutual TLS, which this node has not got: any process could join such a cluster, "
              + "read its tasks and forge results. " + capitalized(ENABLE));
    }
    if (!discovery.equals("none")) {
      throw new InvalidSettingException(source.apply("pel.node.discovery"), discovery,
          "discovery of other nodes only over mutual TLS, which this node has not got: any process could join such a "
              + "cluster, read its tasks and forge results. " + capitalized(ENABLE));
    }
    derived.put(ARTERY + "transport", "tls-tcp");
    derived.put(SSL + "ssl-engine-provider", SingleNodeTls.class.getName());
    return Mode.SINGLE_NODE_TLS;
  }

  /** The mode a node configured by {@code PelNode.config} runs in. */
  public static Mode of(Config config) {
    String transport = config.getString(ARTERY + "transport");
    if (!transport.equals("tls-tcp")) return Mode.INSECURE;
    if (config.getString(SSL + "ssl-engine-provider").equals(SingleNodeTls.class.getName())) return Mode.SINGLE_NODE_TLS;
    return config.getString("pel.tls.key-store").isBlank() ? Mode.PEKKO_TLS : Mode.CLUSTER_TLS;
  }

  /** What the start-up log says of {@code mode}; for {@link Mode#INSECURE}, a warning. */
  public static String describe(Mode mode, Config config) {
    return switch (mode) {
      case CLUSTER_TLS -> "transport: mutual TLS with key store " + config.getString("pel.tls.key-store")
          + ", trusting " + config.getString("pel.tls.trust-store");
      case PEKKO_TLS -> "transport: Artery TLS as configured in pekko.remote.artery.ssl";
      case SINGLE_NODE_TLS -> "transport: TLS with a key this node made at start and trusts alone: no other process can "
          + "connect to it, so it stays a cluster of one; for a cluster of several, " + ENABLE.replace("pel.insecure-cluster", "(not recommended) pel.insecure-cluster");
      case INSECURE -> "INSECURE: pel.insecure-cluster = on, so this node talks plain TCP without authentication: any "
          + "process that reaches its port can join the cluster, receive task payloads, answer with forged results "
          + "and down nodes. Use mutual TLS (pel.tls.*, './pel tls') anywhere but an isolated test network";
    };
  }

  private static void check(String file, String password, String setting, boolean needsKey) {
    Path path = Path.of(file);
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new InvalidSettingException(setting, file, "a readable PKCS12 file (none is there)");
    }
    try (InputStream in = Files.newInputStream(path)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password.toCharArray());
      boolean hasKey = false;
      boolean hasCertificate = false;
      for (String alias : java.util.Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias)) hasKey = true;
        if (store.isCertificateEntry(alias) || store.getCertificate(alias) != null) hasCertificate = true;
      }
      if (needsKey && !hasKey) throw new InvalidSettingException(setting, file, "a key store holding this node's private key (it has none)");
      if (!needsKey && !hasCertificate) throw new InvalidSettingException(setting, file, "a trust store holding the cluster's certificate (it has none)");
    } catch (IOException | GeneralSecurityException e) {
      String why = e.getCause() instanceof java.security.UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")
          ? "wrong password (pel.tls.password)" : String.valueOf(e.getMessage());
      throw new InvalidSettingException(setting, file, "a PKCS12 file readable with pel.tls.password: " + why);
    }
  }

  private static boolean bool(Config config, String key, UnaryOperator<String> source) {
    try {
      return config.getBoolean(key);
    } catch (ConfigException.WrongType e) {
      throw new InvalidSettingException(source.apply(key), config.getValue(key).unwrapped(), "on or off (true or false)");
    }
  }

  private static String capitalized(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
