package io.pel.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Where node logs go. The default root is {@code target/pel-testkit} under the module ({@code basedir}, which
 * Maven's surefire sets, else the working directory). Each cluster of a JVM gets a directory of its own: if
 * another cluster of this JVM already used the one asked for, the next free of {@code <dir>-2}, {@code
 * <dir>-3}... is used instead, so two clusters never write to the same files.
 */
public final class LogDirectories {

  private static final Set<Path> CLAIMED = new HashSet<>();

  private LogDirectories() {}

  /** {@code <basedir>/target/pel-testkit}. */
  public static Path root() {
    return Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "target", "pel-testkit");
  }

  /** The directory name of a test class: its name without the package ({@code Outer.Inner} when nested). */
  public static String nameOf(Class<?> testClass) {
    String name = testClass.getName();
    return name.substring(name.lastIndexOf('.') + 1).replace('$', '.');
  }

  /**
   * Claims {@code preferred}, or the first of its numbered siblings no cluster of this JVM has used, creates
   * it, and deletes the node logs a previous test run left there.
   */
  public static synchronized Path claim(Path preferred) {
    Path wanted = preferred.toAbsolutePath().normalize();
    Path dir = wanted;
    for (int n = 2; CLAIMED.contains(dir); n++) dir = wanted.resolveSibling(wanted.getFileName() + "-" + n);
    CLAIMED.add(dir);
    try {
      Files.createDirectories(dir);
      try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "{node-*.log,classpath.args}")) {
        for (Path file : old) Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the log directory " + dir, e);
    }
    return dir;
  }
}
