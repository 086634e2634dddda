package io.pel.samples.ledger;

import java.util.Objects;

/**
 * A block to execute: the layout of the ledger, its state before the block, and the transactions in
 * block order ({@code transactions[i].position() == i}).
 */
public record Block(Layout layout, Entity[] genesis, Transaction[] transactions) {

  /** @throws IllegalArgumentException if the genesis state does not fit the layout or a position is off */
  public Block {
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(genesis, "genesis");
    Objects.requireNonNull(transactions, "transactions");
    if (genesis.length != layout.size()) {
      throw new IllegalArgumentException("genesis holds " + genesis.length + " entities, the layout " + layout.size());
    }
    for (int i = 0; i < transactions.length; i++) {
      if (transactions[i].position() != i) {
        throw new IllegalArgumentException("transaction at index " + i + " has position " + transactions[i].position());
      }
    }
  }
}
