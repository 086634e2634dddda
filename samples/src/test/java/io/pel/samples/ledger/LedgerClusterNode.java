package io.pel.samples.ledger;

import io.pel.actors.ExecutionLayer;
import io.pel.testkit.NodeCommands;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A node of {@link LedgerClusterTest}: the ledger's handler, each batch taking {@code
 * -Dledger-test.batch-micros} longer. A node started with {@code -Dledger-test.hold=true} runs its first
 * {@link #MILESTONE} batches and then holds every later one without answering, printing {@code
 * ledger-node holding batches} once: a node that took work and went silent, for the test to kill.
 *
 * <p>Commands: {@code run ACCOUNTS TXS SEED BATCH} starts a block in the background; {@code await
 * SECONDS} reports on it once done ({@code identical=yes|NO state=HASH sequential=HASH redispatched=N
 * speculativeWins=N}); {@code routees N}
 * waits until this node sees N routees.
 */
public final class LedgerClusterNode {

  static final long MILESTONE = 20;

  private static final AtomicLong executed = new AtomicLong();
  private static volatile CompletableFuture<String> run;

  private LedgerClusterNode() {}

  public static void main(String[] args) {
    ExecutionLayer layer = ExecutionLayer.start();
    long pause = Long.getLong("ledger-test.batch-micros", 0) * 1_000;
    boolean hold = Boolean.getBoolean("ledger-test.hold");
    layer.register(LedgerTasks.EXECUTE, (batch, context) -> {
      LockSupport.parkNanos(pause);
      long n = executed.incrementAndGet();
      if (hold && n > MILESTONE) {
        if (n == MILESTONE + 1) System.out.println("ledger-node holding batches");
        while (true) LockSupport.park(); // until the test kills this JVM
      }
      return LedgerTasks.execute(batch);
    });
    NodeCommands.register("routees", n -> String.valueOf(
        layer.awaitRoutees(r -> r >= Integer.parseInt(n)).toCompletableFuture().join()));
    NodeCommands.register("run", line -> {
      String[] a = line.split(" ");
      Block block = BlockGenerator.generate(BlockGenerator.Spec.of(Integer.parseInt(a[0]), Integer.parseInt(a[1]), Long.parseLong(a[2]), 8));
      int batch = Integer.parseInt(a[3]);
      run = CompletableFuture.supplyAsync(() -> {
        try {
          LedgerOutcome parallel = ParallelExecution.run(layer, block, batch).outcome();
          LedgerOutcome sequential = Execution.runSequentially(block);
          return "identical=" + (parallel.sameAs(sequential) ? "yes" : "NO") + " state=" + parallel.stateHash()
              + " sequential=" + sequential.stateHash() + " redispatched=" + layer.stats().redispatched()
              + " speculativeWins=" + layer.stats().speculativeWins();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      });
      return "started";
    });
    NodeCommands.register("await", seconds -> {
      try {
        return run.get(Long.parseLong(seconds), TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("the block did not finish: " + e, e);
      }
    });
  }
}
