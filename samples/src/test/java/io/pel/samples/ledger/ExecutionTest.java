package io.pel.samples.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.samples.ledger.Entity.Account;
import io.pel.samples.ledger.Entity.Market;
import io.pel.samples.ledger.Entity.Pool;
import io.pel.samples.ledger.Transaction.Kind;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ledger's rules, one transaction at a time, on a hand-made state of 3 accounts, 1 pool and 1 market. */
class ExecutionTest {

  private static final Layout LAYOUT = new Layout(3, 1);
  private static final int A = 0;
  private static final int B = 1;
  private static final int POOL = LAYOUT.pool(0);
  private static final int MARKET = LAYOUT.market(0);

  private final Entity[] state = {
      Account.of(1_000_000, 2_000_000), Account.of(500, 0), Account.of(0, 0),
      new Pool(40_000_000, 80_000_000), new Market(3_000_000, 0, 0)};
  private Map<Integer, Entity> writes;

  @Test
  void aTransferMovesCash() {
    Receipt r = execute(tx(0, Kind.TRANSFER, A, B, 700, new int[] {A, B}));
    assertNull(r.revertReason());
    assertEquals(1_000_000 - 700, account(A).cash());
    assertEquals(500 + 700, account(B).cash());
  }

  @Test
  void aTransferBeyondTheCashHeldRevertsAndWritesNothing() {
    Receipt r = execute(tx(0, Kind.TRANSFER, B, A, 501, new int[] {B, A}));
    assertEquals("insufficient cash: holds 500, needs 501", r.revertReason());
    assertTrue(writes.isEmpty());
  }

  @Test
  void aSwapFollowsTheConstantProductAfterItsFee() {
    long in = 100_000;
    execute(new Transaction(0, Kind.SWAP_CASH_FOR_TOKENS, A, POOL, in, 0, 1, new int[] {A, POOL}, new int[0]));
    long afterFee = in * (10_000 - Execution.FEE_BPS);
    long expectedOut = afterFee * 80_000_000L / (40_000_000L * 10_000 + afterFee);
    Pool pool = (Pool) writes.get(POOL);
    assertEquals(new Pool(40_000_000 + in, 80_000_000 - expectedOut), pool);
    assertEquals(2_000_000 + expectedOut, account(A).tokens());
    assertTrue((double) pool.cash() * pool.tokens() > 40_000_000.0 * 80_000_000.0, "the fee stays in the pool");
  }

  @Test
  void aSwapThatWouldReceiveLessThanItsLimitRevertsForSlippage() {
    Receipt r = execute(new Transaction(0, Kind.SWAP_TOKENS_FOR_CASH, A, POOL, 100_000, 60_000, 1, new int[] {A, POOL}, new int[0]));
    assertTrue(r.revertReason().startsWith("slippage: would receive 49"), r.revertReason());
    assertTrue(writes.isEmpty());
  }

  @Test
  void aStakeEarnsItsRewardPerBlockPosition() {
    apply(tx(0, Kind.STAKE, A, -1, 1_000_000, new int[] {A}));
    Receipt r = execute(new Transaction(1_000, Kind.UNSTAKE, A, -1, 1, 0, 1, new int[] {A}, new int[] {POOL}));
    assertNull(r.revertReason());
    long reward = 1_000_000 * Execution.REWARD_PPM * 1_000 / 1_000_000;
    assertEquals(1_000_000 + reward - 1, account(A).staked());
    assertEquals(2_000_000 - 1_000_000 + 1, account(A).tokens());
  }

  @Test
  void aLoanIsCappedByTheStakeValuedAtThePoolsSpotPrice() {
    apply(tx(0, Kind.STAKE, A, -1, 1_000_000, new int[] {A}));
    long capacity = 1_000_000L * 40_000_000 / 80_000_000 * Execution.LOAN_TO_VALUE_BPS / 10_000; // tokens are worth half a cash unit
    Receipt tooMuch = execute(borrow(0, capacity + 1));
    assertTrue(tooMuch.revertReason().startsWith("undercollateralized: loan " + (capacity + 1)), tooMuch.revertReason());
    Receipt justEnough = execute(borrow(0, capacity));
    assertNull(justEnough.revertReason());
    assertEquals(capacity, account(A).loan());
    assertEquals(new Market(3_000_000 - capacity, capacity, 0), writes.get(MARKET));
  }

  @Test
  void aRepaymentPaysTheInterestAccruedSinceTheLoan() {
    apply(tx(0, Kind.STAKE, A, -1, 1_000_000, new int[] {A}));
    apply(borrow(1, 100_000));
    Receipt r = execute(new Transaction(1_001, Kind.REPAY, A, MARKET, 1_000_000, 0, 1, new int[] {A, MARKET}, new int[0]));
    assertNull(r.revertReason());
    long owed = 100_000 + 100_000 * Execution.INTEREST_PPM * 1_000 / 1_000_000;
    assertEquals(0, account(A).loan(), "it pays what it owes, not the amount it offered");
    assertEquals(1_000_000 + 100_000 - owed, account(A).cash());
    assertEquals(new Market(3_000_000 - 100_000 + owed, 100_000, owed), writes.get(MARKET));
  }

  @Test
  void unstakingWhatTheLoanNeedsRevertsAsUndercollateralized() {
    apply(tx(0, Kind.STAKE, A, -1, 1_000_000, new int[] {A}));
    apply(borrow(0, 200_000));
    Receipt r = execute(new Transaction(0, Kind.UNSTAKE, A, -1, 500_000, 0, 1, new int[] {A}, new int[] {POOL}));
    assertTrue(r.revertReason().startsWith("undercollateralized"), r.revertReason());
  }

  @Test
  void withdrawingGivesBackWhatWasSuppliedAndNoMore() {
    apply(tx(0, Kind.SUPPLY, A, MARKET, 10_000, new int[] {A, MARKET}));
    assertEquals("insufficient supply: withdrawing 10001 of 10000",
        execute(tx(1, Kind.WITHDRAW, A, MARKET, 10_001, new int[] {A, MARKET})).revertReason());
    apply(tx(1, Kind.WITHDRAW, A, MARKET, 10_000, new int[] {A, MARKET}));
    assertEquals(Account.of(1_000_000, 2_000_000), state[A]);
    assertEquals(new Market(3_000_000, 0, 0), state[MARKET]);
  }

  @Test
  void aTransactionTouchingAKeyItDidNotDeclareReverts() {
    assertEquals("undeclared access: account 1", execute(tx(0, Kind.TRANSFER, A, B, 1, new int[] {A})).revertReason());
    Receipt readOnly = execute(new Transaction(0, Kind.TRANSFER, A, B, 1, 0, 1, new int[] {A}, new int[] {B}));
    assertEquals("undeclared write: account 1", readOnly.revertReason());
    assertTrue(writes.isEmpty(), "the sender's debit was not applied either");
  }

  @Test
  void malformedTransactionsRevertWithTheirReason() {
    assertEquals("bad amount: 0 is not positive", execute(tx(0, Kind.TRANSFER, A, B, 0, new int[] {A, B})).revertReason());
    assertEquals("bad transfer: to the sender itself", execute(tx(0, Kind.TRANSFER, A, A, 1, new int[] {A})).revertReason());
    assertEquals("bad key: a pool is needed, not account 1",
        execute(tx(0, Kind.SWAP_CASH_FOR_TOKENS, A, B, 1, new int[] {A, B})).revertReason());
    assertEquals("bad key: an account is needed, not key 99 (outside the ledger)",
        execute(tx(0, Kind.TRANSFER, A, 99, 1, new int[] {A, 99})).revertReason());
    Layout twoPools = new Layout(3, 2);
    assertTrue(Execution.execute(tx(0, Kind.SUPPLY, A, twoPools.market(1), 1, new int[] {A, twoPools.market(1)}), twoPools,
            key -> key < twoPools.size() ? Account.of(1, 1) : null, (k, v) -> {}).revertReason().startsWith("wrong market: account 0"));
  }

  @Test
  void anAmountThatWouldOverflowRevertsInsteadOfWrappingAround() {
    state[B] = Account.of(Long.MAX_VALUE, 0);
    Receipt r = execute(tx(0, Kind.TRANSFER, A, B, 1, new int[] {A, B}));
    assertTrue(r.revertReason().startsWith("overflow"), r.revertReason());
  }

  @Test
  void theProofDependsOnTheStateSeenAndOnTheWorkSpent() {
    Transaction transfer = tx(0, Kind.TRANSFER, A, B, 1, new int[] {A, B});
    long proof = execute(transfer).proof();
    assertEquals(proof, execute(transfer).proof(), "the same transaction on the same state");
    state[B] = Account.of(501, 0);
    assertNotEquals(proof, execute(transfer).proof(), "another balance seen");
    state[B] = Account.of(500, 0);
    Transaction moreWork = new Transaction(0, Kind.TRANSFER, A, B, 1, 0, 2, new int[] {A, B}, new int[0]);
    assertNotEquals(proof, execute(moreWork).proof(), "another round of work");
  }

  private Transaction borrow(int position, long amount) {
    return new Transaction(position, Kind.BORROW, A, MARKET, amount, 0, 1, new int[] {A, MARKET}, new int[] {POOL});
  }

  private static Transaction tx(int position, Kind kind, int account, int target, long amount, int[] writes) {
    return new Transaction(position, kind, account, target, amount, 0, 1, writes, new int[0]);
  }

  /** Executes {@code tx} on {@link #state} without changing it; its writes land in {@link #writes}. */
  private Receipt execute(Transaction tx) {
    writes = new HashMap<>();
    return Execution.execute(tx, LAYOUT, key -> key >= 0 && key < state.length ? state[key] : null, writes::put);
  }

  /** Executes {@code tx} and applies its writes to {@link #state}; it must apply. */
  private void apply(Transaction tx) {
    Receipt r = execute(tx);
    assertNull(r.revertReason(), () -> tx + " reverted");
    writes.forEach((key, value) -> state[key] = value);
  }

  private Account account(int key) {
    Entity written = writes.get(key);
    return (Account) (written != null ? written : state[key]);
  }
}
