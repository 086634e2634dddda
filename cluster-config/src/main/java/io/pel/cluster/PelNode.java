package io.pel.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.pel.cluster.internal.KryoSettings;
import io.pel.cluster.internal.StartedSystems;
import io.pel.cluster.internal.TransportSecurity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a PEL node: resolves its configuration from HOCON and the environment, then creates the actor
 * system and makes it a cluster member.
 *
 * <p>With no configuration a node binds Artery to 127.0.0.1 on a free port and joins itself, forming a
 * cluster of one. The environment variables {@code PEL_HOST}, {@code PEL_PORT}, {@code PEL_SEED_NODES}
 * (comma-separated {@code host:port} or {@code pekko://system@host:port}) and {@code PEL_ROLES}
 * (comma-separated) override {@code pel.node.host}, {@code pel.node.port}, {@code pel.node.seed-nodes} and
 * {@code pel.node.roles}; {@code PEL_DATA_DIR}, {@code PEL_JOBS_STORE}, {@code PEL_JOBS_URL}, {@code
 * PEL_JOBS_USER} and {@code PEL_JOBS_PASSWORD} override {@code pel.data-dir} and the job store's {@code
 * pel.jobs.store}, {@code url}, {@code user} and {@code password}; {@code PEL_HTTP_HOST}, {@code PEL_HTTP_PORT}
 * and {@code PEL_HTTP_TOKEN} the streaming service's {@code pel.http.*}; {@code PEL_TLS_KEY_STORE}, {@code
 * PEL_TLS_TRUST_STORE}, {@code PEL_TLS_PASSWORD} and {@code PEL_INSECURE_CLUSTER} the transport's {@code pel.tls.*}
 * and {@code pel.insecure-cluster}; {@code PEL_DISCOVERY} and {@code PEL_APP_VERSION} {@code pel.node.discovery}
 * and {@code pel.node.app-version}; {@code PEL_MANAGEMENT_HOST}, {@code PEL_MANAGEMENT_PORT}, {@code
 * PEL_DISCOVERY_SERVICE} and {@code PEL_REQUIRED_CONTACT_POINTS} Pekko Management's {@code
 * pekko.management.http.hostname} and {@code port} and Cluster Bootstrap's {@code service-name} and {@code
 * required-contact-point-nr}. An invalid value stops start-up with an {@link InvalidSettingException} naming
 * the variable (or key) and the value.
 *
 * <p>With {@code pel.node.discovery} other than {@code none} the node neither joins itself nor takes seed nodes:
 * Pekko's Cluster Bootstrap, which the service module starts, joins it once it has found the others.
 *
 * <p>A node joins or forms a cluster of several only over mutual TLS ({@code pel.tls.*}, or Artery's own
 * {@code tls-tcp} settings) or with {@code pel.insecure-cluster = on}, which it logs as a warning. A node
 * with neither, no seed nodes and no discovery forms a cluster of one over TLS with a key of its own, which
 * nothing else can connect to; with seed nodes or discovery it does not start (see {@link TransportSecurity}).
 */
public final class PelNode {

  private static final Logger LOG = LoggerFactory.getLogger(PelNode.class);
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.\\-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+]");
  private static final Pattern SYSTEM_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_\\-]*");
  private static final Pattern FULL_ADDRESS = Pattern.compile("pekko://([^@/]+)@(.+):([^:]+)");
  private static final String ARTERY_FRAME = "pekko.remote.artery.advanced.maximum-frame-size";
  /** Room in an Artery frame beside the serialized message: the envelope header, actor paths, manifest. */
  private static final long ENVELOPE_ROOM = 64 * 1024;
  private static final List<String> DISCOVERY_METHODS = List.of("none", "config", "kubernetes-api");
  private static final String BOOTSTRAP = "pekko.management.cluster.bootstrap.contact-point-discovery.";
  private static final String BOOTSTRAP_CLASS = "org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap";
  /** Each PEL_* variable a node reads, in the order of the class comment, with the key it sets. */
  private static final Map<String, Variable> ENVIRONMENT = environment();

  /** A variable's key, and how its text becomes the key's value. */
  private record Variable(String key, Function<String, Object> value) {}

  private PelNode() {}

  /** {@link #config(Config, Map)} with no settings of the caller's and the process environment. */
  public static Config load() {
    return config(ConfigFactory.empty(), System.getenv());
  }

  /**
   * The node configuration, resolved, with the Pekko settings derived from {@code pel.node.*} and {@code
   * pel.workers-per-node} filled in. Layers, first wins: system properties, {@code environment}'s {@code
   * PEL_*} variables, {@code settings}, {@code application.conf}, PEL's {@code pel-node.conf}, and every
   * {@code reference.conf}.
   *
   * @param settings the caller's own settings only (not a loaded config: its copy of Pekko's defaults would
   *     hide the ones PEL needs)
   * @param environment the environment to read {@code PEL_*} variables from
   * @throws InvalidSettingException naming the variable or key whose value is unusable
   */
  public static Config config(Config settings, Map<String, String> environment) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(environment, "environment");
    Config merged = ConfigFactory.defaultOverrides()
        .withFallback(environmentOverrides(environment))
        .withFallback(settings)
        .withFallback(ConfigFactory.defaultApplication())
        .withFallback(ConfigFactory.parseResources(PelNode.class.getClassLoader(), "pel-node.conf"))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();

    String systemName = merged.getString("pel.system-name");
    if (!SYSTEM_NAME.matcher(systemName).matches()) {
      throw new InvalidSettingException("pel.system-name", systemName, "letters, digits, '-' and '_'");
    }
    String host = host(merged.getString("pel.node.host"), sourceOf(environment, "pel.node.host"));
    int port = port(merged.getValue("pel.node.port").unwrapped(), sourceOf(environment, "pel.node.port"), 0);
    List<String> seeds = new ArrayList<>();
    String seedSource = sourceOf(environment, "pel.node.seed-nodes");
    for (String seed : stringList(merged, "pel.node.seed-nodes", seedSource)) {
      seeds.add(seedAddress(seed, systemName, seedSource));
    }
    List<String> roles = stringList(merged, "pel.node.roles", sourceOf(environment, "pel.node.roles"));
    Map<String, Object> derived = new HashMap<>();
    String discovery = discovery(merged, seeds, sourceOf(environment, "pel.node.discovery"), seedSource);
    derived.put("pel.node.discovery", discovery);
    if (!discovery.equals("none")) derived.put(BOOTSTRAP + "discovery-method", discovery);
    checkManagement(merged, environment);
    TransportSecurity.decide(merged, seeds, discovery, key -> sourceOf(environment, key), derived);
    String appVersion = merged.getString("pel.node.app-version").trim();
    if (!appVersion.isEmpty()) derived.put("pekko.cluster.app-version", appVersion);
    PelSettings pel = PelSettings.fromConfig(merged);
    int workers = pel.workersPerNode();

    derived.put("pekko.remote.artery.canonical.hostname", host);
    derived.put("pekko.remote.artery.canonical.port", port);
    derived.put("pekko.cluster.seed-nodes", seeds);
    derived.put("pekko.cluster.roles", roles);
    derived.put("pel.worker-dispatcher.thread-pool-executor.fixed-pool-size", Math.max(1, workers));
    // Artery drops a message larger than its frame (256 KiB by default) with a log line only, and the task in
    // it then waits for its timeout; PEL's own limit fails such a task with an error. So a frame holds any
    // message PEL lets through. Artery pools its buffers at this size, allocating them as it needs them.
    long frame = KryoSettings.fromConfig(merged).maxMessageSize() + ENVELOPE_ROOM;
    derived.put(ARTERY_FRAME, Math.max(frame, merged.getBytes(ARTERY_FRAME)));
    // The node's graceful leave (actors' NodeGuardian) runs in this first phase: drain, then the routees.
    long leaveMillis = pel.shutdownDrainTimeout().toMillis() + 15_000;
    derived.put("pekko.coordinated-shutdown.phases.before-service-unbind.timeout", leaveMillis + "ms");
    return ConfigFactory.parseMap(derived).withFallback(merged).resolve();
  }

  /**
   * Creates the actor system for {@code config} (a result of {@link #config}) and, when it has neither seed
   * nodes nor {@code pel.node.discovery}, joins the node to itself. With discovery the join comes later, from
   * Cluster Bootstrap, which the caller starts on the system.
   *
   * @throws InvalidSettingException if {@code pel.node.discovery} is set and Cluster Bootstrap is not on the class path
   */
  public static <T> ActorSystem<T> start(Behavior<T> guardian, Config config) {
    String discovery = config.getString("pel.node.discovery");
    if (!discovery.equals("none")) checkBootstrapPresent(discovery);
    ActorSystem<T> system = ActorSystem.create(guardian, config.getString("pel.system-name"), config);
    StartedSystems.started(system);
    Cluster cluster = Cluster.get(system);
    Address self = cluster.selfMember().address();
    List<String> seeds = config.getStringList("pekko.cluster.seed-nodes");
    TransportSecurity.Mode mode = TransportSecurity.of(config);
    String joined;
    if (!discovery.equals("none")) {
      joined = "waiting for Cluster Bootstrap to join it to the nodes it discovers (pel.node.discovery = " + discovery + ")";
    } else if (seeds.isEmpty()) {
      joined = "no seed nodes, joined itself";
      cluster.manager().tell(Join.create(self));
    } else {
      joined = "joining through seed nodes " + seeds;
    }
    if (mode == TransportSecurity.Mode.INSECURE) {
      LOG.warn("PEL node {} started; {}; {}", self, joined, TransportSecurity.describe(mode, config));
    } else {
      LOG.info("PEL node {} started; {}; {}", self, joined, TransportSecurity.describe(mode, config));
    }
    return system;
  }

  private static Map<String, Variable> environment() {
    Function<String, Object> trimmed = String::trim;
    Function<String, Object> verbatim = value -> value;
    Function<String, Object> list = PelNode::commaList;
    Map<String, Variable> variables = new LinkedHashMap<>();
    variables.put("PEL_HOST", new Variable("pel.node.host", trimmed));
    variables.put("PEL_PORT", new Variable("pel.node.port", trimmed));
    variables.put("PEL_SEED_NODES", new Variable("pel.node.seed-nodes", list));
    variables.put("PEL_ROLES", new Variable("pel.node.roles", list));
    variables.put("PEL_DATA_DIR", new Variable("pel.data-dir", trimmed));
    variables.put("PEL_JOBS_STORE", new Variable("pel.jobs.store", trimmed));
    variables.put("PEL_JOBS_URL", new Variable("pel.jobs.url", trimmed));
    variables.put("PEL_JOBS_USER", new Variable("pel.jobs.user", verbatim));
    variables.put("PEL_JOBS_PASSWORD", new Variable("pel.jobs.password", verbatim));
    variables.put("PEL_HTTP_HOST", new Variable("pel.http.host", trimmed));
    variables.put("PEL_HTTP_PORT", new Variable("pel.http.port", trimmed));
    variables.put("PEL_HTTP_TOKEN", new Variable("pel.http.token", verbatim));
    variables.put("PEL_TLS_KEY_STORE", new Variable("pel.tls.key-store", trimmed));
    variables.put("PEL_TLS_TRUST_STORE", new Variable("pel.tls.trust-store", trimmed));
    variables.put("PEL_TLS_PASSWORD", new Variable("pel.tls.password", verbatim));
    variables.put("PEL_INSECURE_CLUSTER", new Variable("pel.insecure-cluster", trimmed));
    variables.put("PEL_DISCOVERY", new Variable("pel.node.discovery", trimmed));
    variables.put("PEL_APP_VERSION", new Variable("pel.node.app-version", trimmed));
    variables.put("PEL_MANAGEMENT_HOST", new Variable("pekko.management.http.hostname", trimmed));
    variables.put("PEL_MANAGEMENT_PORT", new Variable("pekko.management.http.port", trimmed));
    variables.put("PEL_DISCOVERY_SERVICE", new Variable(BOOTSTRAP + "service-name", trimmed));
    variables.put("PEL_REQUIRED_CONTACT_POINTS", new Variable(BOOTSTRAP + "required-contact-point-nr", trimmed));
    return Collections.unmodifiableMap(variables);
  }

  /** The names of the {@code PEL_*} environment variables a node reads (the class comment says what each sets). */
  public static Set<String> environmentVariables() {
    return ENVIRONMENT.keySet();
  }

  private static Config environmentOverrides(Map<String, String> env) {
    Map<String, Object> values = new HashMap<>();
    ENVIRONMENT.forEach((name, variable) -> {
      String value = env.get(name);
      if (value != null) values.put(variable.key(), variable.value().apply(value));
    });
    return ConfigFactory.parseMap(values);
  }

  /** {@code pel.node.discovery}, checked: a known method, and not beside seed nodes (a node finds the others one way). */
  private static String discovery(Config config, List<String> seeds, String source, String seedSource) {
    String discovery = config.getString("pel.node.discovery").trim();
    if (!DISCOVERY_METHODS.contains(discovery)) {
      throw new InvalidSettingException(source, discovery, "one of " + String.join(", ", DISCOVERY_METHODS));
    }
    if (discovery.equals("none")) return discovery;
    if (!seeds.isEmpty()) {
      throw new InvalidSettingException(source, discovery, "none while seed nodes are set (" + seedSource + " = " + seeds
          + "): a node finds the others through seed nodes or through discovery, not both");
    }
    return discovery;
  }

  /** With discovery, Cluster Bootstrap must be there to join the node: nothing else ever would. */
  private static void checkBootstrapPresent(String discovery) {
    try {
      Class.forName(BOOTSTRAP_CLASS, false, PelNode.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new InvalidSettingException("pel.node.discovery", discovery, "none on this class path: discovery needs Pekko "
          + "Management's Cluster Bootstrap, which pel-service brings and its node (io.pel.service.NodeMain, ./pel start) starts");
    }
  }

  /** The management variables a node with discovery reads, checked here so that their errors name them. */
  private static void checkManagement(Config config, Map<String, String> env) {
    if (env.containsKey("PEL_MANAGEMENT_PORT")) port(env.get("PEL_MANAGEMENT_PORT"), "PEL_MANAGEMENT_PORT", 1);
    if (env.containsKey("PEL_MANAGEMENT_HOST")) host(env.get("PEL_MANAGEMENT_HOST").trim(), "PEL_MANAGEMENT_HOST");
    String contactPoints = env.get("PEL_REQUIRED_CONTACT_POINTS");
    if (contactPoints != null && !contactPoints.trim().matches("[1-9][0-9]{0,3}")) {
      throw new InvalidSettingException("PEL_REQUIRED_CONTACT_POINTS", contactPoints, "a number of nodes, 1 or more");
    }
  }

  /** The variable that set {@code key} if the environment has it, else the key: what an error names. */
  private static String sourceOf(Map<String, String> env, String key) {
    for (Map.Entry<String, Variable> e : ENVIRONMENT.entrySet()) {
      if (e.getValue().key().equals(key) && env.containsKey(e.getKey())) return e.getKey();
    }
    return key;
  }

  private static List<String> commaList(String value) {
    if (value.isBlank()) return List.of();
    return Arrays.stream(value.split(",")).map(String::trim).toList();
  }

  private static String host(String host, String source) {
    if (!HOST.matcher(host).matches()) {
      throw new InvalidSettingException(source, host, "a host name or IP address such as 127.0.0.1");
    }
    return host;
  }

  private static int port(Object raw, String source, int min) {
    String text = String.valueOf(raw).trim();
    try {
      int port = Integer.parseInt(text);
      if (port >= min && port <= 65535) return port;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new InvalidSettingException(source, raw, "a port number " + min + "..65535" + (min == 0 ? " (0 picks a free port)" : ""));
  }

  private static List<String> stringList(Config config, String key, String source) {
    try {
      List<String> list = config.getStringList(key);
      for (String item : list) {
        if (item.isBlank()) throw new InvalidSettingException(source, list, "no empty entries");
      }
      return list;
    } catch (ConfigException.WrongType e) {
      throw new InvalidSettingException(source, config.getValue(key).unwrapped(), "a list of strings");
    }
  }

  private static String seedAddress(String seed, String systemName, String source) {
    var full = FULL_ADDRESS.matcher(seed);
    String host;
    String port;
    if (full.matches()) {
      if (!full.group(1).equals(systemName)) {
        throw new InvalidSettingException(source, seed, "an address of actor system '" + systemName + "'");
      }
      host = full.group(2);
      port = full.group(3);
    } else {
      int colon = seed.lastIndexOf(':');
      if (colon <= 0 || seed.contains("/")) {
        throw new InvalidSettingException(source, seed, "host:port or pekko://" + systemName + "@host:port");
      }
      host = seed.substring(0, colon);
      port = seed.substring(colon + 1);
    }
    host(host, source);
    int p;
    try {
      p = port(port, source, 1);
    } catch (InvalidSettingException e) {
      throw new InvalidSettingException(source, seed, "host:port with a port 1..65535");
    }
    return "pekko://" + systemName + "@" + host + ":" + p;
  }
}
