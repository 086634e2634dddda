package io.pel.samples.ledger;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.OverloadedException;
import io.pel.samples.ledger.LedgerTasks.BatchResult;
import io.pel.samples.ledger.LedgerTasks.ExecuteBatch;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Executes a block on PEL's routees and ends in the state sequential execution gives.
 *
 * <p>The scheduler follows the block's {@link ConflictGraph}. A transaction is ready once every earlier
 * transaction it conflicts with has been applied; ready transactions are disjoint in what they touch, so
 * they go out together, each batch carrying the slice of state its transactions declare. A batch also
 * takes along dependents whose every dependency is in the batch or done: a chain of conflicting
 * transactions then travels as one task instead of one round trip each, which is what keeps a
 * contended block close to sequential speed. Results are applied as they arrive, in any order.
 *
 * <p>One thread (the caller's) owns the schedule and the state; completions reach it through a queue, so
 * nothing is shared with PEL's threads but that queue.
 */
public final class ParallelExecution {

  /** Batches in flight per routee: one running, one on its way. */
  private static final int BATCHES_PER_ROUTEE = 2;
  private static final Duration STALL_LIMIT = Duration.ofMinutes(5);

  private static final byte WAITING = 0;
  private static final byte READY = 1;
  private static final byte SENT = 2;
  private static final byte DONE = 3;

  private final ExecutionLayer layer;
  private final Block block;
  private final ConflictGraph graph;
  private final int maxBatch;
  private final int maxInFlight;
  private final Entity[] state;
  private final Receipt[] receipts;
  private final int[] waitingFor;
  private final byte[] status;
  private final int[] inBatch; // inBatch[d]: dependencies of d in the batch being formed
  private final int[] keyBatch; // keyBatch[key]: the last batch whose slice took key (batches count from 1)
  private final PriorityQueue<Integer> ready = new PriorityQueue<>();
  private final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
  private int inFlight;
  private int batches;

  private ParallelExecution(ExecutionLayer layer, Block block, int maxBatch) {
    this.layer = layer;
    this.block = block;
    this.graph = ConflictGraph.of(block.transactions(), block.layout().size());
    this.maxBatch = maxBatch;
    this.maxInFlight = Math.max(BATCHES_PER_ROUTEE, BATCHES_PER_ROUTEE * layer.stats().routees());
    this.state = block.genesis().clone();
    this.receipts = new Receipt[block.transactions().length];
    this.waitingFor = graph.dependencyCounts();
    this.status = new byte[receipts.length];
    this.inBatch = new int[receipts.length];
    this.keyBatch = new int[state.length];
  }

  /**
   * What a parallel run gave and how it went.
   *
   * @param outcome the state and receipts
   * @param batches tasks sent to routees
   * @param dependencies edges of the conflict graph
   * @param longestChain transactions on its longest chain, which no schedule can run side by side
   */
  public record Run(LedgerOutcome outcome, int batches, int dependencies, int longestChain) {}

  /**
   * Executes {@code block} on {@code layer}'s routees, in batches of at most {@code maxBatch} transactions.
   * A task of the layer that fails for good fails the run.
   *
   * @throws IllegalArgumentException if {@code maxBatch} is not in 1..{@link LedgerTasks#MAX_BATCH}
   * @throws LedgerExecutionException if a batch failed, or none completed for 5 minutes
   */
  public static Run run(ExecutionLayer layer, Block block, int maxBatch) throws InterruptedException {
    if (maxBatch < 1 || maxBatch > LedgerTasks.MAX_BATCH) {
      throw new IllegalArgumentException("batch size " + maxBatch + " is not in 1.." + LedgerTasks.MAX_BATCH);
    }
    return new ParallelExecution(layer, block, maxBatch).run();
  }

  private Run run() throws InterruptedException {
    for (int i = 0; i < receipts.length; i++) markIfReady(i);
    int done = 0;
    while (done < receipts.length) {
      while (inFlight < maxInFlight && !ready.isEmpty()) send(formBatch());
      Completion c = completions.poll(STALL_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
      if (c == null) throw new LedgerExecutionException("no batch completed in " + STALL_LIMIT.toMinutes() + " minutes");
      if (c.failure() != null) {
        retryOrFail(c);
        continue;
      }
      inFlight--;
      done += apply(c.members(), c.result());
    }
    return new Run(new LedgerOutcome(state, receipts), batches, graph.edges(), graph.longestChain());
  }

  private void markIfReady(int i) {
    if (waitingFor[i] == 0 && status[i] == WAITING) {
      status[i] = READY;
      ready.add(i);
    }
  }

  /**
   * Takes ready transactions, earliest first, sharing them out over the free slots, then adds the
   * dependents that would wait for this batch alone. Returns the members in block order.
   */
  private int[] formBatch() {
    int free = maxInFlight - inFlight;
    int roots = Math.min(maxBatch, (ready.size() + free - 1) / free);
    int[] members = new int[maxBatch];
    int size = 0;
    while (size < roots) members[size++] = ready.poll();
    for (int m = 0; m < size; m++) status[members[m]] = SENT;
    for (int m = 0; m < size && size < maxBatch; m++) {
      int member = members[m];
      for (int e = graph.firstDependent(member); e < graph.endOfDependents(member) && size < maxBatch; e++) {
        int d = graph.dependent(e);
        if (status[d] != WAITING) continue;
        if (++inBatch[d] == waitingFor[d]) {
          status[d] = SENT;
          members[size++] = d;
        }
      }
    }
    for (int m = 0; m < size; m++) {
      int member = members[m];
      for (int e = graph.firstDependent(member); e < graph.endOfDependents(member); e++) inBatch[graph.dependent(e)] = 0;
    }
    int[] batch = Arrays.copyOf(members, size);
    Arrays.sort(batch);
    return batch;
  }

  private void send(int[] members) {
    batches++;
    Transaction[] txs = new Transaction[members.length];
    int[] keys = new int[8];
    int keyCount = 0;
    for (int m = 0; m < members.length; m++) {
      txs[m] = block.transactions()[members[m]];
      for (int[] declared : new int[][] {txs[m].writes(), txs[m].reads()}) {
        for (int key : declared) {
          if (key < 0 || key >= state.length || keyBatch[key] == batches) continue;
          keyBatch[key] = batches;
          if (keyCount == keys.length) keys = Arrays.copyOf(keys, keyCount * 2);
          keys[keyCount++] = key;
        }
      }
    }
    keys = Arrays.copyOf(keys, keyCount);
    Entity[] values = new Entity[keyCount];
    for (int k = 0; k < keyCount; k++) values[k] = state[keys[k]];
    ExecuteBatch batch = new ExecuteBatch(block.layout().accounts(), block.layout().pools(), List.of(txs), keys, List.of(values));
    inFlight++;
    submit(members, batch);
  }

  private void submit(int[] members, ExecuteBatch batch) {
    layer.submit(LedgerTasks.EXECUTE, batch)
        .whenComplete((result, failure) -> completions.add(new Completion(members, batch, result, unwrap(failure))));
  }

  private void retryOrFail(Completion c) {
    if (c.failure() instanceof OverloadedException) {
      layer.whenAcceptingMore().thenRun(() -> submit(c.members(), c.batch())); // offered again once the layer has room
      return;
    }
    throw new LedgerExecutionException("the batch of transactions " + describe(c.members()) + " failed: " + c.failure(), c.failure());
  }

  /** Applies a batch's writes and receipts, releases its dependents, and returns how many transactions it held. */
  private int apply(int[] members, BatchResult result) {
    if (result.receipts().size() != members.length || result.keys().length != result.values().size()) {
      throw new LedgerExecutionException("the batch of transactions " + describe(members) + " came back malformed");
    }
    for (int k = 0; k < result.keys().length; k++) {
      int key = result.keys()[k];
      if (!writtenByAny(members, key)) {
        throw new LedgerExecutionException("the batch of transactions " + describe(members) + " wrote undeclared "
            + block.layout().describe(key));
      }
      state[key] = result.values().get(k);
    }
    for (int m = 0; m < members.length; m++) {
      int member = members[m];
      receipts[member] = result.receipts().get(m);
      status[member] = DONE;
      for (int e = graph.firstDependent(member); e < graph.endOfDependents(member); e++) {
        int d = graph.dependent(e);
        waitingFor[d]--;
        markIfReady(d);
      }
    }
    return members.length;
  }

  private boolean writtenByAny(int[] members, int key) {
    for (int member : members) if (block.transactions()[member].declaresWrite(key)) return true;
    return false;
  }

  private static String describe(int[] members) {
    return members.length == 1 ? "#" + members[0] : "#" + members[0] + "..#" + members[members.length - 1] + " (" + members.length + ")";
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }

  private record Completion(int[] members, ExecuteBatch batch, BatchResult result, Throwable failure) {}
}
