package io.pel.samples.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.ConfigFactory;
import io.pel.actors.NonRetryableException;
import io.pel.cluster.internal.KryoCodec;
import io.pel.samples.ledger.Entity.Account;
import io.pel.samples.ledger.Entity.Market;
import io.pel.samples.ledger.Entity.Pool;
import io.pel.samples.ledger.LedgerTasks.BatchResult;
import io.pel.samples.ledger.LedgerTasks.ExecuteBatch;
import io.pel.samples.ledger.Transaction.Kind;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LedgerTasksTest {

  /** 10 accounts (keys 0..9), pool 0 (key 10), market 0 (key 11). */
  private static final Layout LAYOUT = new Layout(10, 1);
  private static final int POOL = LAYOUT.pool(0);
  private static final int MARKET = LAYOUT.market(0);

  private static final KryoCodec CODEC = KryoCodec.fromConfig(ConfigFactory.load());

  private static Transaction transfer(int position, int from, int to) {
    return new Transaction(position, Kind.TRANSFER, from, to, 10, 0, 0, new int[] {from, to}, new int[0]);
  }

  private static Account account() {
    return Account.of(1_000, 1_000);
  }

  /** A batch of {@code txs} holding every key they declare, taken from {@code state}. */
  private static ExecuteBatch batch(Layout layout, Entity[] state, List<Transaction> txs) {
    Set<Integer> declared = new LinkedHashSet<>();
    for (Transaction tx : txs) {
      for (int key : tx.writes()) declared.add(key);
      for (int key : tx.reads()) declared.add(key);
    }
    int[] keys = declared.stream().mapToInt(Integer::intValue).filter(k -> k >= 0 && k < layout.size()).toArray();
    List<Entity> values = new ArrayList<>();
    for (int key : keys) values.add(state[key]);
    return new ExecuteBatch(layout.accounts(), layout.pools(), List.of(txs.toArray(Transaction[]::new)), keys, List.copyOf(values));
  }

  private static void assertRefused(String expected, ExecuteBatch batch) {
    NonRetryableException e = assertThrows(NonRetryableException.class, () -> LedgerTasks.execute(batch));
    assertTrue(e.getMessage().startsWith("bad batch: "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
  }

  @Test
  void aBatchWithoutTransactionsIsRefused() {
    assertRefused("no transactions", new ExecuteBatch(10, 1, List.of(), new int[] {0}, List.of(account())));
    assertRefused("no transactions", new ExecuteBatch(10, 1, null, new int[] {0}, List.of(account())));
  }

  @Test
  void aBatchOfMoreThanMaxBatchTransactionsIsRefused() {
    List<Transaction> txs = new ArrayList<>();
    for (int i = 0; i <= LedgerTasks.MAX_BATCH; i++) txs.add(transfer(i, 0, 1));
    ExecuteBatch tooMany = new ExecuteBatch(10, 1, txs, new int[] {0, 1}, List.of(account(), account()));
    assertRefused("1025 transactions, at most 1024", tooMany);

    ExecuteBatch full = new ExecuteBatch(10, 1, txs.subList(0, LedgerTasks.MAX_BATCH), new int[] {0, 1}, List.of(account(), account()));
    assertEquals(LedgerTasks.MAX_BATCH, LedgerTasks.execute(full).receipts().size(), "a batch of exactly MAX_BATCH runs");
  }

  @Test
  void keysAndValuesOfDifferentLengthsAreRefused() {
    List<Transaction> txs = List.of(transfer(0, 0, 1));
    assertRefused("2 keys but 1 values", new ExecuteBatch(10, 1, txs, new int[] {0, 1}, List.of(account())));
    assertRefused("no keys but 1 values", new ExecuteBatch(10, 1, txs, null, List.of(account())));
    assertRefused("2 keys but no values", new ExecuteBatch(10, 1, txs, new int[] {0, 1}, null));
  }

  @Test
  void aKeyOutsideTheLayoutIsRefused() {
    List<Transaction> txs = List.of(transfer(0, 0, 1));
    assertRefused("key 12 (outside the ledger)",
        new ExecuteBatch(10, 1, txs, new int[] {0, 1, 12}, List.of(account(), account(), new Market(1, 0, 0))));
    assertRefused("key -1 (outside the ledger)",
        new ExecuteBatch(10, 1, txs, new int[] {-1, 0, 1}, List.of(account(), account(), account())));
  }

  @Test
  void anEntityOfTheWrongKindUnderAKeyIsRefused() {
    List<Transaction> txs = List.of(transfer(0, 0, 1));
    assertRefused("account 0 holds Pool[",
        new ExecuteBatch(10, 1, txs, new int[] {0, 1}, List.of(new Pool(5, 6), account())));
    assertRefused("pool 0 holds Account[",
        new ExecuteBatch(10, 1, txs, new int[] {0, 1, POOL}, List.of(account(), account(), account())));
    assertRefused("market 0 holds Pool[",
        new ExecuteBatch(10, 1, txs, new int[] {0, 1, MARKET}, List.of(account(), account(), new Pool(5, 6))));
    assertRefused("account 1 holds null",
        new ExecuteBatch(10, 1, txs, new int[] {0, 1}, Arrays.asList(account(), null)));
  }

  @Test
  void aKeyGivenTwiceIsRefused() {
    assertRefused("account 0 given twice", new ExecuteBatch(10, 1, List.of(transfer(0, 0, 1)), new int[] {0, 1, 0},
        List.of(account(), account(), account())));
  }

  @Test
  void transactionsOutOfBlockOrderAreRefused() {
    List<Entity> values = List.of(account(), account());
    assertRefused("transaction #3 out of block order",
        new ExecuteBatch(10, 1, List.of(transfer(5, 0, 1), transfer(3, 0, 1)), new int[] {0, 1}, values));
    assertRefused("transaction #4 out of block order",
        new ExecuteBatch(10, 1, List.of(transfer(4, 0, 1), transfer(4, 1, 0)), new int[] {0, 1}, values));
    assertRefused("transaction #-1 has a negative position",
        new ExecuteBatch(10, 1, List.of(transfer(-1, 0, 1)), new int[] {0, 1}, values));
  }

  @Test
  void aTransactionAskingForMoreWorkThanTheLimitIsRefused() {
    Transaction greedy = new Transaction(2, Kind.TRANSFER, 0, 1, 10, 0, LedgerTasks.MAX_WORK + 1, new int[] {0, 1}, new int[0]);
    assertRefused("transaction #2 asks for " + (LedgerTasks.MAX_WORK + 1) + " rounds of work, at most " + LedgerTasks.MAX_WORK,
        new ExecuteBatch(10, 1, List.of(greedy), new int[] {0, 1}, List.of(account(), account())));
  }

  @Test
  void aTransactionDeclaringAKeyTheBatchDoesNotHoldIsRefused() {
    assertRefused("transaction #7 declares account 1, which the batch does not hold",
        new ExecuteBatch(10, 1, List.of(transfer(7, 0, 1)), new int[] {0}, List.of(account())));
    Transaction unstake = new Transaction(8, Kind.UNSTAKE, 0, -1, 10, 0, 0, new int[] {0}, new int[] {POOL});
    assertRefused("transaction #8 declares pool 0, which the batch does not hold",
        new ExecuteBatch(10, 1, List.of(unstake), new int[] {0}, List.of(account())));
  }

  @Test
  void aMissingTransactionIsRefused() {
    assertRefused("a transaction is missing",
        new ExecuteBatch(10, 1, Arrays.asList(transfer(0, 0, 1), null), new int[] {0, 1}, List.of(account(), account())));
  }

  @Test
  void aBadLayoutIsRefused() {
    List<Transaction> txs = List.of(transfer(0, 0, 1));
    assertRefused("at least 2 accounts, not 1", new ExecuteBatch(1, 1, txs, new int[] {0, 1}, List.of(account(), account())));
    assertRefused("at least 1 pool, not 0", new ExecuteBatch(10, 0, txs, new int[] {0, 1}, List.of(account(), account())));
    assertRefused("too many entities",
        new ExecuteBatch(Integer.MAX_VALUE, 1, txs, new int[] {0, 1}, List.of(account(), account())));
  }

  @Test
  void aWholeBlockAsOneBatchGivesTheReceiptsAndStateOfSequentialExecution() {
    Block block = BlockGenerator.generate(BlockGenerator.Spec.of(10, 300, 5, 2));
    assertEquals(LAYOUT, block.layout());
    LedgerOutcome sequential = Execution.runSequentially(block);

    BatchResult result = LedgerTasks.execute(batch(block.layout(), block.genesis(), List.of(block.transactions())));

    assertEquals(List.of(sequential.receipts()), result.receipts());
    assertEquals(result.keys().length, result.values().size());
    assertEquals(result.keys().length, Arrays.stream(result.keys()).distinct().count(), "each written key once");
    Entity[] state = block.genesis().clone();
    for (int k = 0; k < result.keys().length; k++) state[result.keys()[k]] = result.values().get(k);
    assertArrayEquals(sequential.state(), state);
    assertTrue(sequential.reverted() > 0 && sequential.reverted() < 300, "some, not all, reverted: " + sequential.reverted());
  }

  @Test
  void independentTransactionsFromTheMiddleOfABlockGiveTheirSequentialReceipts() {
    Block block = BlockGenerator.generate(BlockGenerator.Spec.of(1_000, 2_000, 6, 2));
    LedgerOutcome sequential = Execution.runSequentially(block);
    int[] waits = ConflictGraph.of(block.transactions(), block.layout().size()).dependencyCounts();
    List<Transaction> independent = new ArrayList<>();
    for (int i = 200; i < block.transactions().length && independent.size() < 50; i++) {
      if (waits[i] == 0) independent.add(block.transactions()[i]);
    }
    assertEquals(50, independent.size());

    BatchResult result = LedgerTasks.execute(batch(block.layout(), block.genesis(), independent));

    // No two of them conflict and each sees the genesis state: each alone on the genesis writes what the batch does.
    Map<Integer, Entity> expected = new HashMap<>();
    for (int m = 0; m < independent.size(); m++) {
      Transaction tx = independent.get(m);
      assertEquals(sequential.receipts()[tx.position()], result.receipts().get(m));
      Execution.execute(tx, block.layout(), key -> block.genesis()[key], expected::put);
    }
    Map<Integer, Entity> written = new HashMap<>();
    for (int k = 0; k < result.keys().length; k++) written.put(result.keys()[k], result.values().get(k));
    assertEquals(expected, written);
    assertFalse(written.isEmpty());
  }

  @Test
  void aBatchAndItsResultCrossTheWireUnchanged() throws Exception {
    Block block = BlockGenerator.generate(BlockGenerator.Spec.of(10, 40, 8, 1));
    ExecuteBatch batch = batch(block.layout(), block.genesis(), List.of(block.transactions()));
    BatchResult result = LedgerTasks.execute(batch);
    assertTrue(result.receipts().stream().anyMatch(Receipt::applied), "some receipts have no revert reason");
    assertFalse(result.receipts().stream().allMatch(Receipt::applied), "some have one");

    ExecuteBatch batchBack = (ExecuteBatch) roundTrip(batch);
    assertEquals(batch.accounts(), batchBack.accounts());
    assertEquals(batch.pools(), batchBack.pools());
    assertEquals(batch.transactions(), batchBack.transactions());
    assertArrayEquals(batch.keys(), batchBack.keys());
    assertEquals(batch.values(), batchBack.values());

    BatchResult resultBack = (BatchResult) roundTrip(result);
    assertEquals(result.receipts(), resultBack.receipts());
    assertArrayEquals(result.keys(), resultBack.keys());
    assertEquals(result.values(), resultBack.values());
  }

  private static Object roundTrip(Object value) throws NotSerializableException {
    return CODEC.fromBinary(CODEC.toBinary(value), CODEC.manifest(value));
  }

  @Test
  void aBatchWhoseTransactionCountClaimsMoreThanTheBytesIsRefused() throws Exception {
    List<Transaction> txs = List.of(transfer(0, 0, 1), transfer(1, 1, 0));
    byte[] two = CODEC.toBinary(new ExecuteBatch(10, 1, new ArrayList<>(txs), new int[] {0, 1}, List.of(account(), account())));
    byte[] none = CODEC.toBinary(new ExecuteBatch(10, 1, new ArrayList<>(), new int[] {0, 1}, List.of(account(), account())));
    int count = firstDifference(two, none); // the list's element count: 2 against 0, one byte each
    assertEquals(2, two[count]);

    byte[] forged = withVarInt(two, count, 1 << 28);
    NotSerializableException e = refused(forged);
    assertTrue(e.getMessage().contains("claims 268435456 elements"), e.getMessage());
    byte[] negative = withVarInt(two, count, -1);
    refused(negative);
  }

  @Test
  void aBatchWhoseKeyCountClaimsMoreThanTheBytesIsRefused() throws Exception {
    List<Transaction> txs = List.of(transfer(0, 0, 1));
    byte[] two = CODEC.toBinary(new ExecuteBatch(10, 1, txs, new int[] {0, 1}, List.of(account(), account())));
    byte[] none = CODEC.toBinary(new ExecuteBatch(10, 1, txs, new int[0], List.of(account(), account())));
    int header = firstDifference(two, none); // the int[]'s length + 1: 3 against 1

    NotSerializableException e = refused(withVarInt(two, header, 1 << 28));
    assertTrue(e.getMessage().contains("268435"), e.getMessage());
  }

  @Test
  void truncatedOrCorruptedBatchesAreRefusedOrDecodeToABatch() throws Exception {
    Block block = BlockGenerator.generate(BlockGenerator.Spec.of(10, 8, 3, 1));
    byte[] bytes = CODEC.toBinary(batch(block.layout(), block.genesis(), List.of(block.transactions())));
    for (int length = 0; length < bytes.length; length++) refused(Arrays.copyOf(bytes, length));
    for (int i = 0; i < bytes.length; i++) {
      for (int b : new int[] {0x00, 0x7f, 0x80, 0xff}) {
        byte[] corrupt = bytes.clone();
        corrupt[i] = (byte) b;
        try {
          assertTrue(CODEC.fromBinary(corrupt, ExecuteBatch.class.getName()) instanceof ExecuteBatch);
        } catch (NotSerializableException expected) {
          // refused, by name
        } catch (Throwable t) {
          fail("byte " + i + " set to " + b + ": " + t, t);
        }
      }
    }
  }

  private static NotSerializableException refused(byte[] bytes) {
    NotSerializableException e =
        assertThrows(NotSerializableException.class, () -> CODEC.fromBinary(bytes, ExecuteBatch.class.getName()));
    assertTrue(e.getMessage().contains(ExecuteBatch.class.getName()), e.getMessage());
    return e;
  }

  private static int firstDifference(byte[] a, byte[] b) {
    for (int i = 0; i < Math.min(a.length, b.length); i++) if (a[i] != b[i]) return i;
    throw new AssertionError("no difference in the first " + Math.min(a.length, b.length) + " bytes");
  }

  /** {@code bytes} with the one-byte varint at {@code at} replaced by {@code value}'s positive varint. */
  private static byte[] withVarInt(byte[] bytes, int at, int value) {
    List<Byte> varint = new ArrayList<>();
    int v = value;
    while ((v & ~0x7f) != 0) {
      varint.add((byte) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    varint.add((byte) v);
    byte[] out = new byte[bytes.length - 1 + varint.size()];
    System.arraycopy(bytes, 0, out, 0, at);
    for (int i = 0; i < varint.size(); i++) out[at + i] = varint.get(i);
    System.arraycopy(bytes, at + 1, out, at + varint.size(), bytes.length - at - 1);
    return out;
  }

  @Test
  void theTaskTypeIsIdempotent() {
    assertTrue(LedgerTasks.EXECUTE.idempotent(), "a retried or duplicated batch gives the same answer");
  }
}
