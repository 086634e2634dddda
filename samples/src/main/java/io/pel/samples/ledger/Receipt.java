package io.pel.samples.ledger;

/**
 * What executing one transaction gave.
 *
 * @param position the transaction's block position
 * @param revertReason why it was reverted, changing nothing; {@code null} if it applied
 * @param proof the first 8 bytes of its SHA-256 work over the transaction and the state it saw, so a
 *     transaction that saw other state than in sequential execution shows here even if balances agree
 */
public record Receipt(int position, String revertReason, long proof) {

  /** Whether the transaction applied. */
  public boolean applied() {
    return revertReason == null;
  }
}
