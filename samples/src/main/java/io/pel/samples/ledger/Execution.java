package io.pel.samples.ledger;

import io.pel.samples.ledger.Entity.Account;
import io.pel.samples.ledger.Entity.Market;
import io.pel.samples.ledger.Entity.Pool;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The ledger's rules: what one transaction does to the state it declares, or why it is reverted.
 *
 * <p>A pure function of the transaction and the state it reads, run the same way by the sequential
 * baseline and by PEL's routees; that, and executing every transaction only after all earlier ones it
 * conflicts with, is what makes parallel execution end in the sequential state. A reverted transaction
 * changes nothing; it still spends its work, as a reverted transaction still pays for its gas.
 *
 * <p>Every transaction first spends {@link Transaction#work()} rounds of SHA-256 over itself and the
 * state it declares, standing in for the cost of contract code; the result is its receipt's proof.
 */
public final class Execution {

  /** Swap fee, in basis points of the amount sold. */
  public static final long FEE_BPS = 30;
  /** Staking reward per block position, in millionths of the stake. */
  public static final long REWARD_PPM = 2;
  /** Loan interest per block position, in millionths of the loan. */
  public static final long INTEREST_PPM = 5;
  /** A loan may reach this share, in basis points, of the stake's value at the pool's spot price. */
  public static final long LOAN_TO_VALUE_BPS = 5_000;

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Execution::sha256);

  private Execution() {}

  /** Where a transaction reads state from: the whole ledger or a slice of it. */
  @FunctionalInterface
  public interface Source {
    /** The entity under {@code key}; {@code null} if this source does not hold it. */
    Entity get(int key);
  }

  /** Where the writes of an applied transaction go. */
  @FunctionalInterface
  public interface Sink {
    void put(int key, Entity value);
  }

  /**
   * Executes {@code tx} on the state in {@code source}. If it applies, its writes go to {@code sink}; if it
   * is reverted, nothing does.
   */
  public static Receipt execute(Transaction tx, Layout layout, Source source, Sink sink) {
    long proof = work(tx, layout, source);
    View view = new View(tx, layout, source);
    try {
      apply(tx, view);
    } catch (Revert r) {
      return new Receipt(tx.position(), r.getMessage(), proof);
    } catch (ArithmeticException e) {
      return new Receipt(tx.position(), "overflow: " + e.getMessage(), proof);
    }
    view.commit(sink);
    return new Receipt(tx.position(), null, proof);
  }

  /**
   * Executes every transaction of {@code block} in order on one thread: the baseline parallel execution
   * must equal.
   */
  public static LedgerOutcome runSequentially(Block block) {
    Entity[] state = block.genesis().clone();
    Receipt[] receipts = new Receipt[block.transactions().length];
    for (Transaction tx : block.transactions()) {
      receipts[tx.position()] = execute(tx, block.layout(), key -> key >= 0 && key < state.length ? state[key] : null,
          (key, value) -> state[key] = value);
    }
    return new LedgerOutcome(state, receipts);
  }

  private static void apply(Transaction tx, View v) {
    long amount = tx.amount();
    if (amount <= 0) throw new Revert("bad amount: " + amount + " is not positive");
    Account payer = v.account(tx.account());
    switch (tx.kind()) {
      case TRANSFER -> {
        if (tx.target() == tx.account()) throw new Revert("bad transfer: to the sender itself");
        Account payee = v.account(tx.target());
        requireFunds("cash", payer.cash(), amount);
        v.put(tx.account(), with(payer, payer.cash() - amount, payer.tokens()));
        v.put(tx.target(), with(payee, Math.addExact(payee.cash(), amount), payee.tokens()));
      }
      case SWAP_CASH_FOR_TOKENS -> {
        Pool pool = v.pool(tx.target());
        requireFunds("cash", payer.cash(), amount);
        long out = swapOutput(amount, pool.cash(), pool.tokens(), tx.limit());
        v.put(tx.target(), new Pool(Math.addExact(pool.cash(), amount), pool.tokens() - out));
        v.put(tx.account(), with(payer, payer.cash() - amount, Math.addExact(payer.tokens(), out)));
      }
      case SWAP_TOKENS_FOR_CASH -> {
        Pool pool = v.pool(tx.target());
        requireFunds("tokens", payer.tokens(), amount);
        long out = swapOutput(amount, pool.tokens(), pool.cash(), tx.limit());
        v.put(tx.target(), new Pool(pool.cash() - out, Math.addExact(pool.tokens(), amount)));
        v.put(tx.account(), with(payer, Math.addExact(payer.cash(), out), payer.tokens() - amount));
      }
      case STAKE -> {
        requireFunds("tokens", payer.tokens(), amount);
        long staked = accrue(payer.staked(), REWARD_PPM, payer.stakedSince(), tx.position());
        v.put(tx.account(), new Account(payer.cash(), payer.tokens() - amount, Math.addExact(staked, amount),
            tx.position(), payer.supplied(), payer.loan(), payer.loanSince()));
      }
      case UNSTAKE -> {
        long staked = accrue(payer.staked(), REWARD_PPM, payer.stakedSince(), tx.position());
        if (amount > staked) throw new Revert("insufficient stake: unstaking " + amount + " of " + staked);
        long loan = accrue(payer.loan(), INTEREST_PPM, payer.loanSince(), tx.position());
        if (loan > 0) requireCollateral(v, tx, staked - amount, loan);
        v.put(tx.account(), new Account(payer.cash(), Math.addExact(payer.tokens(), amount), staked - amount,
            tx.position(), payer.supplied(), payer.loan(), payer.loanSince()));
      }
      case SUPPLY -> {
        Market market = v.homeMarket(tx);
        requireFunds("cash", payer.cash(), amount);
        v.put(tx.target(), new Market(Math.addExact(market.liquidity(), amount), market.borrowed(), market.repaid()));
        v.put(tx.account(), new Account(payer.cash() - amount, payer.tokens(), payer.staked(), payer.stakedSince(),
            Math.addExact(payer.supplied(), amount), payer.loan(), payer.loanSince()));
      }
      case WITHDRAW -> {
        Market market = v.homeMarket(tx);
        if (amount > payer.supplied()) throw new Revert("insufficient supply: withdrawing " + amount + " of " + payer.supplied());
        if (market.liquidity() < amount) throw new Revert("insufficient liquidity: market holds " + market.liquidity() + ", withdrawing " + amount);
        v.put(tx.target(), new Market(market.liquidity() - amount, market.borrowed(), market.repaid()));
        v.put(tx.account(), new Account(Math.addExact(payer.cash(), amount), payer.tokens(), payer.staked(), payer.stakedSince(),
            payer.supplied() - amount, payer.loan(), payer.loanSince()));
      }
      case BORROW -> {
        Market market = v.homeMarket(tx);
        if (market.liquidity() < amount) {
          throw new Revert("insufficient liquidity: market holds " + market.liquidity() + ", borrowing " + amount);
        }
        long loan = Math.addExact(accrue(payer.loan(), INTEREST_PPM, payer.loanSince(), tx.position()), amount);
        long staked = accrue(payer.staked(), REWARD_PPM, payer.stakedSince(), tx.position());
        requireCollateral(v, tx, staked, loan);
        v.put(tx.target(), new Market(market.liquidity() - amount, Math.addExact(market.borrowed(), amount), market.repaid()));
        v.put(tx.account(), new Account(Math.addExact(payer.cash(), amount), payer.tokens(), staked, tx.position(),
            payer.supplied(), loan, tx.position()));
      }
      case REPAY -> {
        Market market = v.homeMarket(tx);
        long loan = accrue(payer.loan(), INTEREST_PPM, payer.loanSince(), tx.position());
        if (loan == 0) throw new Revert("no loan: nothing to repay");
        long paid = Math.min(amount, loan);
        requireFunds("cash", payer.cash(), paid);
        v.put(tx.target(), new Market(Math.addExact(market.liquidity(), paid), market.borrowed(),
            Math.addExact(market.repaid(), paid)));
        v.put(tx.account(), new Account(payer.cash() - paid, payer.tokens(), payer.staked(), payer.stakedSince(),
            payer.supplied(), loan - paid, tx.position()));
      }
    }
  }

  private static Account with(Account a, long cash, long tokens) {
    return new Account(cash, tokens, a.staked(), a.stakedSince(), a.supplied(), a.loan(), a.loanSince());
  }

  private static void requireFunds(String what, long held, long needed) {
    if (held < needed) throw new Revert("insufficient " + what + ": holds " + held + ", needs " + needed);
  }

  /** {@code value} grown by {@code ppm} millionths per block position from {@code since} to {@code now}. */
  private static long accrue(long value, long ppm, int since, int now) {
    if (value == 0 || now <= since) return value;
    return Math.addExact(value, Math.multiplyExact(Math.multiplyExact(value, ppm), (long) (now - since)) / 1_000_000);
  }

  /** Constant-product output for selling {@code in} into reserves {@code reserveIn}/{@code reserveOut}. */
  private static long swapOutput(long in, long reserveIn, long reserveOut, long minOut) {
    BigInteger afterFee = BigInteger.valueOf(in).multiply(BigInteger.valueOf(10_000 - FEE_BPS));
    BigInteger numerator = afterFee.multiply(BigInteger.valueOf(reserveOut));
    BigInteger denominator = BigInteger.valueOf(reserveIn).multiply(BigInteger.valueOf(10_000)).add(afterFee);
    long out = numerator.divide(denominator).longValueExact();
    if (out < minOut) throw new Revert("slippage: would receive " + out + ", limit " + minOut);
    if (out == 0) throw new Revert("slippage: selling " + in + " receives nothing");
    return out;
  }

  /** Reverts unless {@code staked} tokens, valued at the home pool's spot price, cover {@code loan}. */
  private static void requireCollateral(View v, Transaction tx, long staked, long loan) {
    int market = v.layout.homeMarket(tx.account());
    Pool pool = v.pool(v.layout.priceSource(market));
    BigInteger capacity = BigInteger.valueOf(staked).multiply(BigInteger.valueOf(pool.cash()))
        .multiply(BigInteger.valueOf(LOAN_TO_VALUE_BPS))
        .divide(BigInteger.valueOf(pool.tokens()).multiply(BigInteger.valueOf(10_000)));
    if (capacity.compareTo(BigInteger.valueOf(loan)) < 0) {
      throw new Revert("undercollateralized: loan " + loan + " exceeds " + capacity + " allowed on " + staked + " staked");
    }
  }

  private static long work(Transaction tx, Layout layout, Source source) {
    MessageDigest sha = SHA256.get();
    ByteBuffer buffer = ByteBuffer.allocate(32 + (tx.writes().length + tx.reads().length) * Entity.ENCODED_MAX);
    tx.encode(buffer);
    for (int key : tx.writes()) encodeDeclared(buffer, layout, source, key);
    for (int key : tx.reads()) encodeDeclared(buffer, layout, source, key);
    sha.update(buffer.array(), 0, buffer.position());
    byte[] digest = new byte[32];
    try {
      sha.digest(digest, 0, digest.length);
      for (int i = 1; i < tx.work(); i++) {
        sha.update(digest);
        sha.digest(digest, 0, digest.length);
      }
    } catch (DigestException e) {
      throw new IllegalStateException("SHA-256 digest does not fit 32 bytes", e);
    }
    return ByteBuffer.wrap(digest).getLong();
  }

  private static void encodeDeclared(ByteBuffer buffer, Layout layout, Source source, int key) {
    Entity e = key >= 0 && key < layout.size() ? source.get(key) : null;
    if (e == null) buffer.put((byte) 0);
    else e.encode(buffer);
  }

  /** A new SHA-256 digest. */
  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  /** The state one transaction sees: only its declared keys, with its own writes buffered until it applies. */
  private static final class View {
    private final Transaction tx;
    private final Layout layout;
    private final Source source;
    private final int[] keys = new int[2];
    private final Entity[] values = new Entity[2];
    private int written;

    View(Transaction tx, Layout layout, Source source) {
      this.tx = tx;
      this.layout = layout;
      this.source = source;
    }

    Account account(int key) {
      if (!layout.isAccount(key)) throw new Revert("bad key: an account is needed, not " + layout.describe(key));
      return (Account) get(key);
    }

    Pool pool(int key) {
      if (!layout.isPool(key)) throw new Revert("bad key: a pool is needed, not " + layout.describe(key));
      return (Pool) get(key);
    }

    Market homeMarket(Transaction t) {
      int home = layout.homeMarket(t.account());
      if (t.target() != home) {
        throw new Revert("wrong market: account " + t.account() + " lends and borrows in " + layout.describe(home) + ", not " + layout.describe(t.target()));
      }
      return market(home);
    }

    Market market(int key) {
      if (!layout.isMarket(key)) throw new Revert("bad key: a market is needed, not " + layout.describe(key));
      return (Market) get(key);
    }

    private Entity get(int key) {
      if (!tx.declares(key)) throw new Revert("undeclared access: " + layout.describe(key));
      for (int i = 0; i < written; i++) if (keys[i] == key) return values[i];
      Entity e = source.get(key);
      if (e == null) throw new IllegalStateException(layout.describe(key) + " was not provided to transaction #" + tx.position());
      return e;
    }

    void put(int key, Entity value) {
      if (!tx.declaresWrite(key)) throw new Revert("undeclared write: " + layout.describe(key));
      for (int i = 0; i < written; i++) {
        if (keys[i] == key) {
          values[i] = value;
          return;
        }
      }
      keys[written] = key;
      values[written++] = value;
    }

    void commit(Sink sink) {
      for (int i = 0; i < written; i++) sink.put(keys[i], values[i]);
    }
  }

  /** A transaction that cannot apply; its message is the receipt's reason. No stack trace: it is an answer. */
  private static final class Revert extends RuntimeException {
    Revert(String reason) {
      super(reason, null, false, false);
    }
  }
}
