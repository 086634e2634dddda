package io.pel.testkit.internal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Builds the command line and environment of a node JVM: {@code java <options> -D<properties>
 * @classpath.args ChildMain <main class> <args>}, with {@code PEL_HOST}, {@code PEL_PORT}, {@code
 * PEL_SEED_NODES} and {@code PEL_ROLES} set for the node.
 *
 * <p>The class path is the spec's followed by the testkit's own classes, or, when the spec has none, the
 * test's: surefire's {@code surefire.test.class.path} when present (surefire runs tests from a
 * manifest-only jar, so {@code java.class.path} is not the real one), else {@code java.class.path}. It goes in an argument file, not on the command line, whose arguments Linux limits to
 * 128 KiB each.
 */
public final class NodeLauncher {

  private static final List<String> SET_BY_TESTKIT = List.of("PEL_HOST", "PEL_PORT", "PEL_SEED_NODES", "PEL_ROLES");

  private final ClusterSpec spec;
  private final Path classpathFile;
  private final String java;
  private final IntFunction<List<String>> commandPrefix;

  /** A launcher for {@code spec}'s nodes that writes its argument file into {@code logDirectory}. */
  public NodeLauncher(ClusterSpec spec, Path logDirectory) {
    this(spec, logDirectory, node -> List.of());
  }

  /** The same, each node's command starting with {@code commandPrefix} of its index. */
  public NodeLauncher(ClusterSpec spec, Path logDirectory, IntFunction<List<String>> commandPrefix) {
    this.spec = spec;
    this.commandPrefix = commandPrefix;
    this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    this.classpathFile = logDirectory.resolve("classpath.args");
    String classpath = spec.classPath().isEmpty()
        ? System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
        : String.join(File.pathSeparator, spec.classPath()) + File.pathSeparator + testkitLocation();
    try {
      Files.writeString(classpathFile, "-cp \"" + classpath.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n",
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + classpathFile, e);
    }
  }

  /** Where the testkit's classes are (its jar or class directory): a node's main runs under {@link ChildMain}. */
  private static String testkitLocation() {
    try {
      return Path.of(ChildMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the testkit's classes", e);
    }
  }

  /**
   * The process builder of node {@code node}.
   *
   * @param seeds the node's seed nodes as {@code host:port}
   */
  public ProcessBuilder builder(int node, int port, List<String> seeds) {
    List<String> command = new ArrayList<>(commandPrefix.apply(node));
    command.add(java);
    command.addAll(spec.jvmOptions());
    Map<String, String> properties = new LinkedHashMap<>(spec.properties());
    properties.putAll(spec.nodeProperties().getOrDefault(node, Map.of()));
    properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add("@" + classpathFile);
    command.add(ChildMain.class.getName());
    command.add(spec.mainClass());
    command.addAll(spec.args());

    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    SET_BY_TESTKIT.forEach(env::remove);
    env.putAll(spec.env());
    env.putAll(spec.nodeEnv().getOrDefault(node, Map.of()));
    env.put("PEL_HOST", spec.host(node));
    env.put("PEL_PORT", Integer.toString(port));
    env.put("PEL_SEED_NODES", String.join(",", seeds));
    List<String> roles = spec.roles().getOrDefault(node, List.of());
    if (!roles.isEmpty()) env.put("PEL_ROLES", String.join(",", roles));
    return builder;
  }
}
