package io.pel.testkit;

import io.pel.testkit.internal.LogDirectories;
import java.lang.reflect.Method;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * A JUnit 5 extension that starts a fresh {@link JvmCluster} before each test and closes it after the test,
 * passed or failed.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PelClusterExtension cluster = PelClusterExtension.of(JvmCluster.builder(MyNode.class).nodes(3));
 *
 * @Test
 * void survivesALostNode(JvmCluster nodes) {
 *   nodes.node(3).kill();
 *   nodes.node(1).awaitMembersUp(2, Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * <p>A test (or a {@code @BeforeEach} method) gets the cluster as a {@code JvmCluster} parameter, or from
 * {@link #get()}. Node logs go to {@code target/pel-testkit/<test class>/<test method>/} unless the builder
 * names a directory. When a test method fails, the status and the last 40 log lines of every node are
 * added to its exception (as a suppressed {@link JvmClusterException}) and the log directory is printed to
 * stderr.
 *
 * <p>Tests of one class must not run concurrently: the extension holds one cluster at a time.
 */
public final class PelClusterExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver, TestExecutionExceptionHandler {

  private static final int LOG_LINES_ON_FAILURE = 40;

  private final JvmClusterBuilder builder;
  private volatile JvmCluster cluster;

  private PelClusterExtension(JvmClusterBuilder builder) {
    this.builder = builder;
  }

  /** An extension that starts {@code builder}'s cluster for each test. */
  public static PelClusterExtension of(JvmClusterBuilder builder) {
    return new PelClusterExtension(Objects.requireNonNull(builder, "builder"));
  }

  /**
   * The cluster of the running test.
   *
   * @throws IllegalStateException outside a test
   */
  public JvmCluster get() {
    JvmCluster current = cluster;
    if (current == null) throw new IllegalStateException("no cluster: PelClusterExtension starts one for each test, before @BeforeEach methods");
    return current;
  }

  /** Starts the test's cluster. */
  @Override
  public void beforeEach(ExtensionContext context) {
    if (cluster != null) throw new IllegalStateException("PelClusterExtension holds one cluster at a time; run the tests of " + context.getRequiredTestClass().getName() + " one after the other");
    cluster = builder.start(LogDirectories.root()
        .resolve(LogDirectories.nameOf(context.getRequiredTestClass()))
        .resolve(context.getRequiredTestMethod().getName()));
  }

  /** Closes the test's cluster: every node still running is killed. */
  @Override
  public void afterEach(ExtensionContext context) {
    JvmCluster current = cluster;
    cluster = null;
    if (current != null) current.close();
  }

  /** Adds the nodes' status and log tails to the test's failure, and prints where the logs are. */
  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    JvmCluster current = cluster;
    if (current != null) {
      failure.addSuppressed(new JvmClusterException(current.report(LOG_LINES_ON_FAILURE)));
      System.err.println(context.getDisplayName() + " failed; node logs are in " + current.logDirectory());
    }
    throw failure;
  }

  /** True for a {@code JvmCluster} parameter of a test or lifecycle method. */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == JvmCluster.class && parameter.getDeclaringExecutable() instanceof Method;
  }

  /** The running test's cluster. */
  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return get();
  }
}
