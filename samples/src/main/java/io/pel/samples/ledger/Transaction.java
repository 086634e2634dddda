package io.pel.samples.ledger;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * One transaction of a block, with the keys it declares it will write and read. Execution may touch no
 * other key: a transaction that tries is reverted (see {@link Execution}). The declared keys are what
 * the scheduler orders conflicting transactions by.
 *
 * @param position its index in the block: the order of sequential execution, and the clock that rewards
 *     and interest accrue by
 * @param kind what it does
 * @param account the account that signs it and pays
 * @param target the other party: the receiving account, the pool, or the market
 * @param amount cash or tokens it moves
 * @param limit for a swap, the least it accepts to receive (its slippage limit); 0 otherwise
 * @param work rounds of SHA-256 its execution spends, standing in for the cost of contract code
 * @param writes keys it declares it writes (and may read)
 * @param reads keys it declares it only reads
 */
public record Transaction(int position, Kind kind, int account, int target, long amount, long limit, int work,
    int[] writes, int[] reads) {

  /** What a transaction does. */
  public enum Kind {
    /** Moves cash from {@code account} to the account {@code target}. */
    TRANSFER,
    /** Sells {@code amount} cash to pool {@code target} for at least {@code limit} tokens. */
    SWAP_CASH_FOR_TOKENS,
    /** Sells {@code amount} tokens to pool {@code target} for at least {@code limit} cash. */
    SWAP_TOKENS_FOR_CASH,
    /** Stakes {@code amount} tokens; stakes earn a reward per block position. */
    STAKE,
    /** Takes {@code amount} tokens out of the stake, if what stays still covers the loan. */
    UNSTAKE,
    /** Supplies {@code amount} cash to the home market {@code target}. */
    SUPPLY,
    /** Takes {@code amount} of the cash it supplied back out of the home market {@code target}. */
    WITHDRAW,
    /** Borrows {@code amount} cash from the home market {@code target} against the stake. */
    BORROW,
    /** Pays back up to {@code amount} of the loan to the home market {@code target}. */
    REPAY
  }

  public Transaction {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(writes, "writes");
    Objects.requireNonNull(reads, "reads");
  }

  /** Whether it declares {@code key} as written. */
  public boolean declaresWrite(int key) {
    for (int k : writes) if (k == key) return true;
    return false;
  }

  /** Whether it declares {@code key} at all. */
  public boolean declares(int key) {
    if (declaresWrite(key)) return true;
    for (int k : reads) if (k == key) return true;
    return false;
  }

  /** The bytes its execution's proof of work starts from. */
  void encode(ByteBuffer out) {
    out.putInt(position).putInt(kind.ordinal()).putInt(account).putInt(target).putLong(amount).putLong(limit);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Transaction t && position == t.position && kind == t.kind && account == t.account
        && target == t.target && amount == t.amount && limit == t.limit && work == t.work
        && Arrays.equals(writes, t.writes) && Arrays.equals(reads, t.reads);
  }

  @Override
  public int hashCode() {
    return Objects.hash(position, kind, account, target, amount, limit, work, Arrays.hashCode(writes), Arrays.hashCode(reads));
  }

  @Override
  public String toString() {
    return "#" + position + " " + kind + " account " + account + " -> " + target + " amount " + amount
        + (limit != 0 ? " limit " + limit : "") + " writes " + Arrays.toString(writes) + " reads " + Arrays.toString(reads);
  }
}
