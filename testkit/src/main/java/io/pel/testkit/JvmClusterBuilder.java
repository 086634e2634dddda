package io.pel.testkit;

import io.pel.testkit.internal.ClusterSpec;
import io.pel.testkit.internal.LogDirectories;
import io.pel.testkit.internal.MainMethods;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Describes a {@link JvmCluster} and starts it. Made by {@link JvmCluster#builder(Class)} (or, for a main class
 * of another class path, {@link JvmCluster#builder(String, List)}); each setter checks
 * its argument at once and says what was wrong. A builder may start any number of clusters; each gets the
 * settings of the moment it starts.
 *
 * <p>Defaults: 3 nodes; JVM options {@value #DEFAULT_JVM_OPTIONS}; start timeout 60 s; these system
 * properties, which make a cluster of test nodes react in seconds (override any with {@link #property}):
 * <ul>
 *   <li>{@code pekko.cluster.failure-detector.acceptable-heartbeat-pause=2s} and {@code
 *       pekko.cluster.split-brain-resolver.stable-after=2s}: a killed node is unreachable for the others after
 *       3 to 4 s and downed 2 to 3 s later;
 *   <li>{@code pekko.cluster.seed-node-timeout=2s} and {@code pekko.cluster.retry-unsuccessful-join-after=2s}:
 *       nodes that start before their seed, and a restarted node whose old run is still a member, retry
 *       their join after 2 s;
 *   <li>{@code pekko.coordinated-shutdown.exit-jvm=on}: a node that is downed, or leaves, exits;
 *   <li>{@code pekko.cluster.log-info=on}: membership changes show in the node logs;
 *   <li>{@code logback.configurationFile=io/pel/testkit/node-logback.xml}: if the nodes log through Logback,
 *       they log at INFO to stdout, that is, to their log files;
 *   <li>{@link TestTls#settings()}: the nodes join each other over mutual TLS with a test identity, unless the
 *       test sets {@code pel.tls.*}, {@code pel.insecure-cluster} or {@code pekko.remote.artery.transport}.
 * </ul>
 */
public final class JvmClusterBuilder {

  /** The JVM options of a node unless replaced with {@link #jvmOptions}. */
  public static final String DEFAULT_JVM_OPTIONS = "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k";
  /** The most nodes a cluster may have. */
  public static final int MAX_NODES = 16;

  private static final Map<String, String> DEFAULT_PROPERTIES = defaultProperties();
  private static final Map<String, String> SET_BY_TESTKIT = Map.of(
      "pel.node.host", "PEL_HOST", "pel.node.port", "PEL_PORT", "pel.node.seed-nodes", "PEL_SEED_NODES",
      "pel.node.roles", "PEL_ROLES");

  private final String mainClass;
  /** The nodes' class path; empty for the test's. */
  private final List<String> classPath;
  private int nodes = 3;
  private List<String> args = List.of();
  private List<String> jvmOptions = List.of(DEFAULT_JVM_OPTIONS.split(" "));
  private final Map<String, String> properties = new LinkedHashMap<>(DEFAULT_PROPERTIES);
  private final Map<String, String> env = new LinkedHashMap<>();
  private final Map<Integer, Map<String, String>> nodeProperties = new TreeMap<>();
  private final Map<Integer, Map<String, String>> nodeEnv = new TreeMap<>();
  private final Map<Integer, List<String>> roles = new TreeMap<>();
  private Path logDirectory;
  private Duration startTimeout = Duration.ofSeconds(60);
  private boolean awaitUp = true;
  private boolean ownAddresses;
  private boolean seedNodes = true;

  JvmClusterBuilder(Class<?> mainClass) {
    Objects.requireNonNull(mainClass, "mainClass");
    MainMethods.find(mainClass);
    this.mainClass = mainClass.getName();
    this.classPath = List.of();
  }

  JvmClusterBuilder(String mainClass, List<Path> classPath) {
    Objects.requireNonNull(mainClass, "mainClass");
    Objects.requireNonNull(classPath, "classPath");
    if (!mainClass.matches("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*")) {
      throw new IllegalArgumentException("mainClass must be a binary class name such as com.example.Main, was '" + mainClass + "'");
    }
    if (classPath.isEmpty()) throw new IllegalArgumentException("classPath must name at least one jar or directory");
    List<String> entries = new ArrayList<>();
    for (Path entry : classPath) entries.add(Objects.requireNonNull(entry, "classPath has a null entry").toString());
    this.mainClass = mainClass;
    this.classPath = List.copyOf(entries);
  }

  private static Map<String, String> defaultProperties() {
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("pekko.cluster.failure-detector.acceptable-heartbeat-pause", "2s");
    defaults.put("pekko.cluster.split-brain-resolver.stable-after", "2s");
    defaults.put("pekko.cluster.seed-node-timeout", "2s");
    defaults.put("pekko.cluster.retry-unsuccessful-join-after", "2s");
    defaults.put("pekko.coordinated-shutdown.exit-jvm", "on");
    defaults.put("pekko.cluster.log-info", "on");
    defaults.put("logback.configurationFile", "io/pel/testkit/node-logback.xml");
    return Map.copyOf(defaults);
  }

  /**
   * How many nodes to start.
   *
   * @throws IllegalArgumentException unless {@code count} is 1..16
   */
  public JvmClusterBuilder nodes(int count) {
    if (count < 1 || count > MAX_NODES) throw new IllegalArgumentException("nodes must be 1.." + MAX_NODES + ", was " + count);
    this.nodes = count;
    return this;
  }

  /** The program arguments of every node, replacing earlier ones. */
  public JvmClusterBuilder args(String... args) {
    this.args = copyOf(args, "args");
    return this;
  }

  /** The JVM options of every node, replacing the defaults ({@value #DEFAULT_JVM_OPTIONS}) and earlier ones. */
  public JvmClusterBuilder jvmOptions(String... options) {
    this.jvmOptions = copyOf(options, "jvmOptions");
    return this;
  }

  /**
   * A system property ({@code -Dkey=value}) of every node. PEL nodes read system properties above every other
   * configuration layer, so this is how a test gives its nodes HOCON settings, such as {@code
   * property("pel.workers-per-node", "2")}.
   *
   * @throws IllegalArgumentException if the key is empty, contains '=', or is one of {@code pel.node.host},
   *     {@code port}, {@code seed-nodes} or {@code roles}, which the testkit sets for each node
   */
  public JvmClusterBuilder property(String key, String value) {
    properties.put(checkProperty(key), Objects.requireNonNull(value, "value"));
    return this;
  }

  /**
   * A system property of node {@code node} only, over the one {@link #property} gives every node.
   *
   * @throws IllegalArgumentException as {@link #property} does, or if {@code node} is not 1..16
   */
  public JvmClusterBuilder nodeProperty(int node, String key, String value) {
    nodeProperties.computeIfAbsent(checkNode(node), n -> new LinkedHashMap<>())
        .put(checkProperty(key), Objects.requireNonNull(value, "value"));
    return this;
  }

  /**
   * An environment variable of every node (nodes also inherit the test JVM's environment, except the
   * {@code PEL_*} variables the testkit sets).
   *
   * @throws IllegalArgumentException if the name is empty, contains '=', or is {@code PEL_HOST}, {@code
   *     PEL_PORT}, {@code PEL_SEED_NODES} or {@code PEL_ROLES}
   */
  public JvmClusterBuilder env(String name, String value) {
    env.put(checkEnv(name), Objects.requireNonNull(value, "value"));
    return this;
  }

  /**
   * An environment variable of node {@code node} only, over the one {@link #env} gives every node.
   *
   * @throws IllegalArgumentException as {@link #env} does, or if {@code node} is not 1..16
   */
  public JvmClusterBuilder nodeEnv(int node, String name, String value) {
    nodeEnv.computeIfAbsent(checkNode(node), n -> new LinkedHashMap<>())
        .put(checkEnv(name), Objects.requireNonNull(value, "value"));
    return this;
  }

  /**
   * The cluster roles of node {@code node} ({@code PEL_ROLES}); nodes have none unless given here.
   *
   * @throws IllegalArgumentException if {@code node} is not 1..16 or a role is empty or contains ',' or
   *     whitespace
   */
  public JvmClusterBuilder roles(int node, String... roles) {
    List<String> list = copyOf(roles, "roles");
    for (String role : list) {
      if (role.isEmpty() || role.contains(",") || role.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("a role is a word without ',' or whitespace, was '" + role + "'");
      }
    }
    this.roles.put(checkNode(node), list);
    return this;
  }

  /**
   * The directory of the node logs. Default: {@code target/pel-testkit/<test class>/cluster} (with {@link
   * PelClusterExtension}, {@code target/pel-testkit/<test class>/<test method>}). If another cluster of this
   * JVM already used the directory, the cluster uses {@code <dir>-2} (or {@code -3}...) instead.
   */
  public JvmClusterBuilder logDirectory(Path directory) {
    this.logDirectory = Objects.requireNonNull(directory, "directory");
    return this;
  }

  /**
   * How long {@link #start()} and {@link JvmNode#restart()} wait for the nodes to see each other Up.
   *
   * @throws IllegalArgumentException if not positive
   */
  public JvmClusterBuilder startTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("startTimeout must be positive, was " + timeout);
    this.startTimeout = timeout;
    return this;
  }

  /**
   * Whether {@link #start()} and {@link JvmNode#restart()} wait for the nodes to be Up (default true). With
   * false they return once the JVMs are launched: for nodes expected not to join, or to exit.
   */
  public JvmClusterBuilder awaitUp(boolean await) {
    this.awaitUp = await;
    return this;
  }

  /**
   * Puts each node on a loopback address of its own, 127.0.0.(10 + index), instead of all on 127.0.0.1, so
   * that {@link JvmCluster#partition} can cut the network between chosen nodes. Linux routes all of
   * 127.0.0.0/8 to the loopback interface; elsewhere the addresses may need aliases.
   */
  public JvmClusterBuilder ownAddresses() {
    this.ownAddresses = true;
    return this;
  }

  /**
   * Gives the nodes no seed nodes ({@code PEL_SEED_NODES} empty, at start and at a restart), for nodes that
   * find each other themselves, such as through Cluster Bootstrap ({@code pel.node.discovery}). Without
   * another way to meet, each node forms a cluster of its own and {@link #start()} fails.
   */
  public JvmClusterBuilder withoutSeedNodes() {
    this.seedNodes = false;
    return this;
  }

  /**
   * Starts the nodes and, unless {@code awaitUp(false)}, waits until every node sees all of them Up.
   *
   * @throws IllegalArgumentException if a per-node setting names a node beyond {@link #nodes}
   * @throws JvmClusterException if the nodes are not all Up in time, or one exits first; the message names
   *     them and shows the end of their logs, and every node is killed before it is thrown
   */
  public JvmCluster start() {
    return start(LogDirectories.root().resolve(LogDirectories.nameOf(callerClass())).resolve("cluster"));
  }

  /** Starts a cluster that logs to {@code defaultDirectory} unless a directory was set. */
  JvmCluster start(Path defaultDirectory) {
    checkNodesInRange("nodeProperty", nodeProperties);
    checkNodesInRange("nodeEnv", nodeEnv);
    checkNodesInRange("roles", roles);
    return JvmCluster.start(spec(), LogDirectories.claim(logDirectory != null ? logDirectory : defaultDirectory));
  }

  private ClusterSpec spec() {
    Map<Integer, Map<String, String>> perNodeProperties = new TreeMap<>();
    nodeProperties.forEach((node, map) -> perNodeProperties.put(node, Map.copyOf(map)));
    Map<Integer, Map<String, String>> perNodeEnv = new TreeMap<>();
    nodeEnv.forEach((node, map) -> perNodeEnv.put(node, Map.copyOf(map)));
    Map<String, String> all = new LinkedHashMap<>(properties);
    if (!setsTransportSecurity()) all.putAll(TestTls.settings());
    return new ClusterSpec(mainClass, classPath, nodes, args, jvmOptions, Collections.unmodifiableMap(all), Map.copyOf(env),
        perNodeProperties, perNodeEnv, Map.copyOf(roles), startTimeout, awaitUp, ownAddresses, seedNodes);
  }

  /**
   * Whether the test secures (or opens) every node's transport itself, so that {@link TestTls} stays out. A
   * {@link #nodeProperty} only changes that node: it overrides the shared identity's settings.
   */
  private boolean setsTransportSecurity() {
    for (String key : properties.keySet()) {
      if (key.startsWith("pel.tls.") || key.equals("pel.insecure-cluster") || key.equals("pekko.remote.artery.transport")) return true;
    }
    return env.containsKey("PEL_TLS_KEY_STORE") || env.containsKey("PEL_INSECURE_CLUSTER");
  }

  private void checkNodesInRange(String setting, Map<Integer, ?> perNode) {
    for (int node : perNode.keySet()) {
      if (node > nodes) {
        throw new IllegalArgumentException(setting + " was given for node " + node + ", but the cluster has " + nodes + " nodes");
      }
    }
  }

  private static Class<?> callerClass() {
    return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
        .map(StackWalker.StackFrame::getDeclaringClass)
        .filter(c -> c != JvmClusterBuilder.class && c != JvmCluster.class && c != PelClusterExtension.class)
        .findFirst()
        .orElse(JvmClusterBuilder.class));
  }

  private static int checkNode(int node) {
    if (node < 1 || node > MAX_NODES) throw new IllegalArgumentException("node must be 1.." + MAX_NODES + " (nodes count from 1), was " + node);
    return node;
  }

  private static String checkProperty(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isBlank() || key.contains("=")) throw new IllegalArgumentException("a property key is not empty and has no '=', was '" + key + "'");
    String variable = SET_BY_TESTKIT.get(key);
    if (variable != null) {
      throw new IllegalArgumentException(key + " is set by the testkit for each node (" + variable + ")"
          + (variable.equals("PEL_ROLES") ? "; use roles(node, ...)" : ""));
    }
    return key;
  }

  private static String checkEnv(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.contains("=")) throw new IllegalArgumentException("an environment variable name is not empty and has no '=', was '" + name + "'");
    if (SET_BY_TESTKIT.containsValue(name)) {
      throw new IllegalArgumentException(name + " is set by the testkit for each node" + (name.equals("PEL_ROLES") ? "; use roles(node, ...)" : ""));
    }
    return name;
  }

  private static List<String> copyOf(String[] values, String what) {
    Objects.requireNonNull(values, what);
    for (String value : values) Objects.requireNonNull(value, what + " has a null element");
    return List.copyOf(Arrays.asList(values));
  }
}
