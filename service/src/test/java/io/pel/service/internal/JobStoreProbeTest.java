package io.pel.service.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.actors.JobStoreException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The job store's background check: what its last answer says, a timeout, and no pile-up of checks. */
class JobStoreProbeTest {

  @Test
  @SuppressWarnings("unchecked")
  void aFailedCheckIsTheProblemUntilACheckSucceeds() {
    CompletableFuture<Void>[] next = new CompletableFuture[1];
    JobStoreProbe probe = new JobStoreProbe(() -> next[0], Duration.ofSeconds(5));
    assertEquals(Optional.empty(), probe.problem(), "no check has returned yet");
    next[0] = CompletableFuture.failedFuture(new JobStoreException("the job store jdbc:h2:tcp://x/pel-jobs does not answer: refused", null));
    probe.check();
    assertEquals(Optional.of("the job store jdbc:h2:tcp://x/pel-jobs does not answer: refused"), probe.problem());
    next[0] = CompletableFuture.completedFuture(null);
    probe.check();
    assertEquals(Optional.empty(), probe.problem());
  }

  @Test
  void aCheckThatHangsIsAProblemAfterItsTimeoutAndNoSecondCheckStartsMeanwhile() {
    AtomicInteger started = new AtomicInteger();
    CompletableFuture<Void> hung = new CompletableFuture<>();
    JobStoreProbe probe = new JobStoreProbe(() -> {
      started.incrementAndGet();
      return hung;
    }, Duration.ofMillis(50));
    probe.check();
    probe.check();
    assertEquals(1, started.get(), "the first check still runs");
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (probe.problem().isEmpty() && System.nanoTime() < deadline) Thread.onSpinWait();
    assertEquals(Optional.of("the job store did not answer a check within 50 ms"), probe.problem());
    probe.check();
    assertEquals(1, started.get(), "still none while the hung one has not returned");
    hung.complete(null);
    probe.check();
    assertEquals(2, started.get(), "once it returned, the next check runs");
  }

  @Test
  void aCheckThatThrowsIsAProblemNamingIt() {
    JobStoreProbe probe = new JobStoreProbe(() -> {
      throw new IllegalStateException("no connection");
    }, Duration.ofSeconds(1));
    probe.check();
    assertTrue(probe.problem().orElseThrow().contains("no connection"), probe.problem().toString());
  }
}
