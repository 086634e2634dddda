package io.pel.samples.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pel.actors.ExecutionLayer;
import io.pel.actors.NonRetryableException;
import io.pel.actors.TaskHandler;
import io.pel.samples.ledger.LedgerTasks.BatchResult;
import io.pel.samples.ledger.LedgerTasks.ExecuteBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Parallel execution on PEL ends in the sequential state, receipt for receipt: over many seeds and
 * contention levels, blocks of conflicts only and of reverts mostly, any number of routees, any batch
 * size, any timing, and with attempts that fail and are retried.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParallelExecutionTest {

  /** 4 routees whose batches take a random 0-400 µs longer, so batches complete in scrambled order. */
  private ExecutionLayer jittery;
  private final AtomicInteger outOfOrder = new AtomicInteger();
  private final AtomicInteger lastFirstPosition = new AtomicInteger(-1);

  @BeforeAll
  void startLayer() {
    jittery = start(4, false);
    SplittableRandom seeds = new SplittableRandom(7);
    jittery.register(LedgerTasks.EXECUTE, (batch, context) -> {
      long delay;
      synchronized (seeds) {
        delay = seeds.nextLong(400_000);
      }
      LockSupport.parkNanos(delay);
      int first = batch.transactions().get(0).position();
      if (lastFirstPosition.getAndSet(first) > first) outOfOrder.incrementAndGet();
      return LedgerTasks.execute(batch);
    });
  }

  @AfterAll
  void stopLayer() {
    jittery.close();
  }

  @Test
  void equalsSequentialExecutionOverManySeedsAndContentionLevels() throws Exception {
    int[] batchSizes = {1, 3, 16, 64};
    int blocks = 0;
    for (int accounts : new int[] {2, 3, 10, 100, 1_000}) {
      for (long seed = 1; seed <= 8; seed++) {
        Block block = BlockGenerator.generate(BlockGenerator.Spec.of(accounts, 400, seed * 31 + accounts, 1));
        assertSameAsSequential(jittery, block, batchSizes[(int) (seed % batchSizes.length)], "accounts " + accounts + ", seed " + seed);
        blocks++;
      }
    }
    assertEquals(40, blocks);
    assertTrue(outOfOrder.get() > 0, "batches always started in block order: nothing ran out of order");
  }

  @Test
  void aBlockWhereEveryTransactionConflictsStillEqualsSequential() throws Exception {
    Block block = BlockGenerator.generate(BlockGenerator.Spec.of(2, 2_000, 5, 1));
    ParallelExecution.Run run = assertSameAsSequential(jittery, block, 64, "2 accounts");
    assertTrue(run.longestChain() > 1_500, "longest chain " + run.longestChain() + " of 2,000: not a block of conflicts");
  }

  @Test
  void aBlockOfMostlyRevertedTransactionsStillEqualsSequential() throws Exception {
    for (int accounts : new int[] {2, 50, 1_000}) {
      Block block = BlockGenerator.generate(new BlockGenerator.Spec(accounts, Layout.defaultPools(accounts), 1_000, 3, 1, 50));
      ParallelExecution.Run run = assertSameAsSequential(jittery, block, 16, accounts + " accounts, amounts x50");
      assertTrue(run.outcome().reverted() > 800, run.outcome().reverted() + " of 1,000 reverted: not a block of reverts");
      assertTrue(run.outcome().revertsByCause().size() >= 4, "reverts of several causes: " + run.outcome().revertsByCause());
    }
  }

  @Test
  void theFinalStateIsTheSameWhateverTheNumberOfRouteesWithEveryMessageSerialized() throws Exception {
    Block block = BlockGenerator.generate(BlockGenerator.Spec.of(100, 3_000, 11, 4));
    LedgerOutcome sequential = Execution.runSequentially(block);
    Set<String> hashes = new LinkedHashSet<>();
    for (int routees : new int[] {1, 2, 5, 8}) {
      try (ExecutionLayer layer = start(routees, true)) {
        LedgerTasks.register(layer);
        LedgerOutcome parallel = ParallelExecution.run(layer, block, 32).outcome();
        assertTrue(parallel.sameAs(sequential), routees + " routees: not the sequential outcome");
        hashes.add(parallel.stateHash() + " " + parallel.receiptsHash());
        assertEquals(0, layer.stats().failed(), routees + " routees: a batch failed");
      }
    }
    assertEquals(Set.of(sequential.stateHash() + " " + sequential.receiptsHash()), hashes);
  }

  @Test
  void attemptsThatFailAndAreRetriedChangeNothing() throws Exception {
    AtomicInteger failedAttempts = new AtomicInteger();
    try (ExecutionLayer layer = start(2, false)) {
      layer.register(LedgerTasks.EXECUTE, (batch, context) -> {
        if (context.attempt() == 1 && batch.transactions().get(0).position() % 3 == 0) {
          failedAttempts.incrementAndGet();
          throw new IllegalStateException("routee hiccup on its first attempt");
        }
        return LedgerTasks.execute(batch);
      });
      Block block = BlockGenerator.generate(BlockGenerator.Spec.of(30, 600, 2, 1));
      assertSameAsSequential(layer, block, 8, "first attempts failing");
      assertTrue(failedAttempts.get() > 0, "no attempt failed");
      assertEquals(failedAttempts.get(), layer.stats().retries(), "every failed attempt was retried");
    }
  }

  @Test
  void aBatchThatFailsForGoodFailsTheRunAndNamesIt() throws Exception {
    try (ExecutionLayer layer = start(2, false)) {
      layer.register(LedgerTasks.EXECUTE, failingFor(5, batch -> {
        throw new NonRetryableException("this batch is poisoned");
      }));
      Block block = BlockGenerator.generate(BlockGenerator.Spec.of(30, 200, 2, 1));
      LedgerExecutionException e = assertThrows(LedgerExecutionException.class, () -> ParallelExecution.run(layer, block, 1));
      assertTrue(e.getMessage().startsWith("the batch of transactions #5 failed"), e.getMessage());
      assertTrue(e.getMessage().contains("this batch is poisoned"), e.getMessage());
    }
  }

  @Test
  void aResultThatWritesAKeyItsTransactionsDidNotDeclareIsRefused() throws Exception {
    Block block = BlockGenerator.generate(BlockGenerator.Spec.of(30, 200, 2, 1));
    int transfer = 0;
    while (block.transactions()[transfer].kind() != Transaction.Kind.TRANSFER) transfer++;
    try (ExecutionLayer layer = start(2, false)) {
      layer.register(LedgerTasks.EXECUTE, failingFor(transfer, batch -> {
        BatchResult honest = LedgerTasks.execute(batch);
        int undeclared = batch.accounts(); // pool 0, which no transfer declares
        List<Entity> values = new ArrayList<>(honest.values());
        values.add(new Entity.Pool(1, 1));
        int[] keys = Arrays.copyOf(honest.keys(), honest.keys().length + 1);
        keys[keys.length - 1] = undeclared;
        return new BatchResult(honest.receipts(), keys, values);
      }));
      LedgerExecutionException e = assertThrows(LedgerExecutionException.class, () -> ParallelExecution.run(layer, block, 1));
      assertTrue(e.getMessage().contains("#" + transfer + " wrote undeclared pool 0"), e.getMessage());
    }
  }

  @Test
  void aBatchSizeOutOfRangeIsRefused() {
    Block block = BlockGenerator.generate(BlockGenerator.Spec.of(2, 10, 1, 1));
    for (int size : new int[] {0, LedgerTasks.MAX_BATCH + 1}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParallelExecution.run(jittery, block, size));
      assertTrue(e.getMessage().contains("batch size " + size), e.getMessage());
    }
  }

  private static ParallelExecution.Run assertSameAsSequential(ExecutionLayer layer, Block block, int batch, String what) throws Exception {
    LedgerOutcome sequential = Execution.runSequentially(block);
    ParallelExecution.Run run = ParallelExecution.run(layer, block, batch);
    LedgerOutcome parallel = run.outcome();
    for (int i = 0; i < sequential.receipts().length; i++) {
      assertEquals(sequential.receipts()[i], parallel.receipts()[i], what + ": receipt of transaction #" + i);
    }
    for (int key = 0; key < sequential.state().length; key++) {
      assertEquals(sequential.state()[key], parallel.state()[key], what + ": " + block.layout().describe(key));
    }
    assertEquals(sequential.stateHash(), parallel.stateHash(), what);
    assertEquals(sequential.receiptsHash(), parallel.receiptsHash(), what);
    return run;
  }

  /** A handler that runs {@code special} on the batch holding transaction {@code position}, the rules on the others. */
  private static TaskHandler<ExecuteBatch, BatchResult> failingFor(int position, Function<ExecuteBatch, BatchResult> special) {
    return (batch, context) -> {
      for (Transaction tx : batch.transactions()) if (tx.position() == position) return special.apply(batch);
      return LedgerTasks.execute(batch);
    };
  }

  private static ExecutionLayer start(int routees, boolean serializeMessages) {
    return ExecutionLayer.start(ConfigFactory.parseString(
        "pel.workers-per-node = " + routees + "\npekko.actor.serialize-messages = " + (serializeMessages ? "on" : "off")));
  }
}
