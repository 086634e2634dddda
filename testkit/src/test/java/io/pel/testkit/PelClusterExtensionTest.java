package io.pel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.File;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

class PelClusterExtensionTest {

  /** Set only while {@link #aFailedTestCarriesTheEndOfEveryNodeLogAndNoNodeOutlivesIt} runs the case. */
  static volatile boolean runByTheOuterTest;
  static final List<Long> PIDS = new CopyOnWriteArrayList<>();

  /** A test that fails on purpose, run through the JUnit Platform by the test below. */
  static class FailingCase {

    @RegisterExtension
    static final PelClusterExtension cluster = PelClusterExtension.of(JvmCluster.builder(EchoNode.class).nodes(1));

    @Test
    void fails(JvmCluster nodes) {
      Assumptions.assumeTrue(runByTheOuterTest, "run only by PelClusterExtensionTest");
      PIDS.add(nodes.node(1).pid());
      assertEquals(cluster.get(), nodes);
      nodes.node(1).awaitLine("echo node ready", Duration.ofSeconds(30));
      throw new AssertionError("on purpose");
    }
  }

  @Test
  void aFailedTestCarriesTheEndOfEveryNodeLogAndNoNodeOutlivesIt() {
    runByTheOuterTest = true;
    List<Event> failures;
    try {
      failures = EngineTestKit.engine("junit-jupiter").selectors(selectClass(FailingCase.class)).execute()
          .testEvents().failed().list();
    } finally {
      runByTheOuterTest = false;
    }
    assertEquals(1, failures.size());
    Throwable failure = failures.get(0).getPayload(TestExecutionResult.class).orElseThrow()
        .getThrowable().orElseThrow();
    assertEquals("on purpose", failure.getMessage());
    String report = Arrays.stream(failure.getSuppressed()).map(Throwable::getMessage).findFirst().orElse("");
    assertTrue(report.contains("node-1.log"), report);
    assertTrue(report.contains("echo node ready"), "the log's last lines: " + report);
    assertTrue(report.contains("FailingCase" + File.separator + "fails"), "the log directory is per test method: " + report);

    assertEquals(1, PIDS.size());
    assertTrue(ProcessHandle.of(PIDS.get(0)).isEmpty(), "the node was killed after the failed test");
  }
}
