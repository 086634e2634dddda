package io.pel.samples.ledger;

import java.nio.ByteBuffer;

/**
 * One piece of ledger state, immutable: an {@link Account}, a liquidity {@link Pool} or a lending
 * {@link Market}. Amounts are whole units held in {@code long}s; no floating point is used anywhere, so
 * that every run computes the same bits.
 */
public sealed interface Entity permits Entity.Account, Entity.Pool, Entity.Market {

  /** The bytes this entity is hashed as: a kind tag, then its fields, big-endian. */
  void encode(ByteBuffer out);

  /** The largest number of bytes {@link #encode} writes. */
  int ENCODED_MAX = 1 + 7 * Long.BYTES;

  /**
   * An account.
   *
   * @param cash spendable cash
   * @param tokens spendable tokens
   * @param staked tokens staked, rewards included up to {@code stakedSince}
   * @param stakedSince block position up to which the stake's rewards are counted
   * @param supplied cash supplied to the home market and not withdrawn
   * @param loan cash owed to the home market, interest included up to {@code loanSince}
   * @param loanSince block position up to which the loan's interest is counted
   */
  record Account(long cash, long tokens, long staked, int stakedSince, long supplied, long loan, int loanSince)
      implements Entity {

    /** A fresh account holding {@code cash} and {@code tokens}. */
    public static Account of(long cash, long tokens) {
      return new Account(cash, tokens, 0, 0, 0, 0, 0);
    }

    @Override
    public void encode(ByteBuffer out) {
      out.put((byte) 'A').putLong(cash).putLong(tokens).putLong(staked).putLong(stakedSince).putLong(supplied)
          .putLong(loan).putLong(loanSince);
    }
  }

  /**
   * A constant-product pool of cash and tokens.
   *
   * @param cash cash reserve
   * @param tokens token reserve
   */
  record Pool(long cash, long tokens) implements Entity {
    @Override
    public void encode(ByteBuffer out) {
      out.put((byte) 'P').putLong(cash).putLong(tokens);
    }
  }

  /**
   * A lending market.
   *
   * @param liquidity cash it can lend now
   * @param borrowed cash lent out, in total
   * @param repaid cash paid back, interest included, in total
   */
  record Market(long liquidity, long borrowed, long repaid) implements Entity {
    @Override
    public void encode(ByteBuffer out) {
      out.put((byte) 'M').putLong(liquidity).putLong(borrowed).putLong(repaid);
    }
  }
}
