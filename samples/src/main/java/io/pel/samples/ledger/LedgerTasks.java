package io.pel.samples.ledger;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.NonRetryableException;
import io.pel.actors.TaskType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The ledger's one task type: execute a batch of transactions on the slice of state they declare.
 *
 * <p>The task is a pure function of its input, so running it twice (a retry, a re-dispatch after a lost
 * node, a speculative duplicate) gives the same answer; the type is declared idempotent. The input is
 * checked before anything runs: a batch from a faulty or hostile peer fails at once with a message naming
 * what is wrong, and never reaches the rules.
 */
public final class LedgerTasks {

  /** The most transactions one batch may hold. */
  public static final int MAX_BATCH = 1_024;

  /**
   * The most rounds of work one transaction may ask for: what the sample's largest {@code --work} gives a
   * swap. A batch asking for more is refused, so that a forged one cannot hold a routee for hours.
   */
  public static final int MAX_WORK = 300_000;

  /** Executes a batch. */
  public static final TaskType<ExecuteBatch, BatchResult> EXECUTE =
      TaskType.of("ledger.execute", ExecuteBatch.class, BatchResult.class).asIdempotent();

  private LedgerTasks() {}

  /**
   * Transactions to execute in order, on the given slice of state.
   *
   * @param accounts the layout's accounts
   * @param pools the layout's pools
   * @param transactions in block order; a later one may depend on an earlier one of the same batch
   * @param keys the keys of the slice: every key the transactions declare
   * @param values the slice's entities, {@code values[i]} under {@code keys[i]}
   */
  public record ExecuteBatch(int accounts, int pools, List<Transaction> transactions, int[] keys, List<Entity> values) {}

  /**
   * What a batch gave.
   *
   * @param receipts one per transaction, in the batch's order
   * @param keys the keys an applied transaction wrote
   * @param values their entities after the batch
   */
  public record BatchResult(List<Receipt> receipts, int[] keys, List<Entity> values) {}

  /** Registers the handler of {@link #EXECUTE} on {@code layer}. */
  public static void register(ExecutionLayer layer) {
    layer.register(EXECUTE, (batch, context) -> execute(batch));
  }

  /**
   * Executes {@code batch}.
   *
   * @throws NonRetryableException naming the problem if the batch is malformed
   */
  public static BatchResult execute(ExecuteBatch batch) {
    Layout layout = check(batch);
    Map<Integer, Entity> slice = new HashMap<>(batch.keys().length * 2);
    for (int i = 0; i < batch.keys().length; i++) slice.put(batch.keys()[i], batch.values().get(i));
    Map<Integer, Entity> written = new LinkedHashMap<>();
    List<Receipt> receipts = new ArrayList<>(batch.transactions().size());
    for (Transaction tx : batch.transactions()) {
      receipts.add(Execution.execute(tx, layout, slice::get, (key, value) -> {
        slice.put(key, value);
        written.put(key, value);
      }));
    }
    return new BatchResult(receipts, written.keySet().stream().mapToInt(Integer::intValue).toArray(),
        new ArrayList<>(written.values()));
  }

  private static Layout check(ExecuteBatch batch) {
    Layout layout;
    try {
      layout = new Layout(batch.accounts(), batch.pools());
    } catch (IllegalArgumentException e) {
      throw new NonRetryableException("bad batch: " + e.getMessage());
    }
    List<Transaction> txs = batch.transactions();
    int[] keys = batch.keys();
    List<Entity> values = batch.values();
    if (txs == null || txs.isEmpty()) throw new NonRetryableException("bad batch: no transactions");
    if (txs.size() > MAX_BATCH) throw new NonRetryableException("bad batch: " + txs.size() + " transactions, at most " + MAX_BATCH);
    if (keys == null || values == null || keys.length != values.size()) {
      throw new NonRetryableException("bad batch: " + (keys == null ? "no" : keys.length) + " keys but "
          + (values == null ? "no" : values.size()) + " values");
    }
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] < 0 || keys[i] >= layout.size()) throw new NonRetryableException("bad batch: " + layout.describe(keys[i]));
      if (!fits(layout, keys[i], values.get(i))) {
        throw new NonRetryableException("bad batch: " + layout.describe(keys[i]) + " holds " + values.get(i));
      }
    }
    int[] sorted = keys.clone();
    Arrays.sort(sorted);
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] == sorted[i - 1]) throw new NonRetryableException("bad batch: " + layout.describe(sorted[i]) + " given twice");
    }
    int previous = -1;
    for (Transaction tx : txs) {
      if (tx == null) throw new NonRetryableException("bad batch: a transaction is missing");
      if (tx.position() < 0) throw new NonRetryableException("bad batch: transaction #" + tx.position() + " has a negative position");
      if (tx.position() <= previous) throw new NonRetryableException("bad batch: transaction #" + tx.position() + " out of block order");
      if (tx.work() > MAX_WORK) {
        throw new NonRetryableException("bad batch: transaction #" + tx.position() + " asks for " + tx.work() + " rounds of work, at most " + MAX_WORK);
      }
      previous = tx.position();
      checkDeclared(layout, tx, tx.writes(), sorted);
      checkDeclared(layout, tx, tx.reads(), sorted);
    }
    return layout;
  }

  private static void checkDeclared(Layout layout, Transaction tx, int[] declared, int[] sortedKeys) {
    Objects.requireNonNull(declared, "declared");
    for (int key : declared) {
      if (key >= 0 && key < layout.size() && Arrays.binarySearch(sortedKeys, key) < 0) {
        throw new NonRetryableException("bad batch: transaction #" + tx.position() + " declares " + layout.describe(key)
            + ", which the batch does not hold");
      }
    }
  }

  private static boolean fits(Layout layout, int key, Entity value) {
    if (layout.isAccount(key)) return value instanceof Entity.Account;
    if (layout.isPool(key)) return value instanceof Entity.Pool;
    return value instanceof Entity.Market;
  }
}
