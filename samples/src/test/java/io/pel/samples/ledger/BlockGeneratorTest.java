package io.pel.samples.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.samples.ledger.BlockGenerator.Spec;
import io.pel.samples.ledger.Transaction.Kind;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BlockGeneratorTest {

  @Test
  void theSameSpecGivesAnEqualBlock() {
    Spec spec = new Spec(100, 3, 2_000, 42, 5, 1);
    Block first = BlockGenerator.generate(spec);
    Block second = BlockGenerator.generate(spec);
    assertEquals(first.layout(), second.layout());
    assertTrue(Arrays.equals(first.genesis(), second.genesis()), "genesis");
    assertTrue(Arrays.equals(first.transactions(), second.transactions()), "transactions");
    assertEquals(new Layout(100, 3), first.layout());
    assertEquals(2_000, first.transactions().length);
  }

  @Test
  void differentSeedsGiveDifferentBlocks() {
    Block one = BlockGenerator.generate(Spec.of(100, 2_000, 1, 5));
    Block two = BlockGenerator.generate(Spec.of(100, 2_000, 2, 5));
    assertEquals(one.layout(), two.layout());
    assertFalse(Arrays.equals(one.genesis(), two.genesis()), "genesis");
    assertFalse(Arrays.equals(one.transactions(), two.transactions()), "transactions");
  }

  @Test
  void everyTransactionDeclaresTheKeysItsExecutionTouches() {
    for (int accounts : new int[] {2, 10, 1_000}) {
      Block block = BlockGenerator.generate(Spec.of(accounts, 5_000, 7, 0));
      LedgerOutcome outcome = Execution.runSequentially(block);
      Set<Kind> applied = EnumSet.noneOf(Kind.class);
      for (Receipt r : outcome.receipts()) {
        Transaction tx = block.transactions()[r.position()];
        if (r.applied()) {
          applied.add(tx.kind());
          continue;
        }
        String reason = r.revertReason();
        assertFalse(reason.startsWith("undeclared") || reason.startsWith("bad key") || reason.startsWith("wrong market"),
            accounts + " accounts: " + tx + " reverted: " + reason);
      }
      // Each kind touched everything it declares at least once, so no kind hid an undeclared key behind a revert.
      assertEquals(EnumSet.allOf(Kind.class), applied, accounts + " accounts: kinds that applied at least once");
    }
  }

  @Test
  void theGenesisHoldsTheRightKindOfEntityUnderEveryKey() {
    Block block = BlockGenerator.generate(new Spec(60, 4, 10, 3, 0, 1));
    Layout layout = block.layout();
    for (int key = 0; key < layout.size(); key++) {
      Entity e = block.genesis()[key];
      if (layout.isAccount(key)) assertTrue(e instanceof Entity.Account, layout.describe(key) + " holds " + e);
      else if (layout.isPool(key)) assertTrue(e instanceof Entity.Pool, layout.describe(key) + " holds " + e);
      else assertTrue(e instanceof Entity.Market, layout.describe(key) + " holds " + e);
    }
  }

  @Test
  void anAmountScaleOf50RevertsMostTransactionsAndScale1AMinority() {
    int txs = 4_000;
    LedgerOutcome scaled = Execution.runSequentially(BlockGenerator.generate(new Spec(100, 2, txs, 9, 0, 50)));
    LedgerOutcome plain = Execution.runSequentially(BlockGenerator.generate(new Spec(100, 2, txs, 9, 0, 1)));
    assertTrue(scaled.reverted() > txs * 8 / 10, "scale 50 reverted " + scaled.reverted() + " of " + txs + ": " + scaled.revertsByCause());
    assertTrue(plain.reverted() < txs * 4 / 10, "scale 1 reverted " + plain.reverted() + " of " + txs + ": " + plain.revertsByCause());
  }

  @Test
  void specRejectsValuesOutOfRangeNamingThem() {
    assertRejected("a ledger needs at least 2 accounts, not 1", () -> new Spec(1, 1, 10, 0, 0, 1));
    assertRejected("a ledger needs at least 1 pool, not 0", () -> new Spec(10, 0, 10, 0, 0, 1));
    assertRejected("a block needs at least 1 transaction, not 0", () -> new Spec(10, 1, 0, 0, 0, 1));
    assertRejected("work must not be negative: -1", () -> new Spec(10, 1, 10, 0, -1, 1));
    assertRejected("amount scale must be at least 1: 0", () -> new Spec(10, 1, 10, 0, 0, 0));
    assertRejected("a ledger needs at least 2 accounts, not -5", () -> Spec.of(-5, 10, 0, 0));
  }

  private static void assertRejected(String message, Runnable build) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
    assertEquals(message, e.getMessage());
  }

  @Test
  void specOfGivesOnePoolPerFiftyAccountsAndScale1() {
    assertEquals(new Spec(2, 1, 10, 5, 3, 1), Spec.of(2, 10, 5, 3));
    assertEquals(new Spec(1_000, 20, 10, 5, 3, 1), Spec.of(1_000, 10, 5, 3));
  }

  @Test
  void swapsSpendThreeTimesTheWorkBorrowsAndUnstakesTwice() {
    for (Transaction tx : BlockGenerator.generate(Spec.of(10, 500, 4, 7)).transactions()) {
      int expected = switch (tx.kind()) {
        case SWAP_CASH_FOR_TOKENS, SWAP_TOKENS_FOR_CASH -> 21;
        case BORROW, UNSTAKE -> 14;
        default -> 7;
      };
      assertEquals(expected, tx.work(), tx.toString());
    }
  }
}
