package io.pel.samples.ledger;

import io.pel.samples.ledger.Entity.Account;
import io.pel.samples.ledger.Entity.Market;
import io.pel.samples.ledger.Entity.Pool;
import io.pel.samples.ledger.Transaction.Kind;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Generates a block from a seed: the same {@link Spec} gives the same block, bit for bit, on every JVM.
 *
 * <p>Accounts are drawn uniformly, so the number of accounts sets the contention: with 2 accounts every
 * transaction conflicts with the one before; with 10,000 almost none do. The mix: transfers 28%, swaps
 * 24%, staking 9%, unstaking 7%, supplying 7%, withdrawing 6%, borrowing 10%, repaying 9%. Unstaking and
 * borrowing are sent by accounts that staked earlier in the block, repaying by those that borrowed,
 * withdrawing by those that supplied, as far as there are any: the generator knows what was sent, not
 * what applied, so some of them still revert.
 *
 * <p>Amounts are drawn against the genesis balances, which grow with the square root of the transactions
 * per account: a balance then wanders about as far, relative to itself, over a block of 2 accounts as
 * over one of 10,000, and the share of reverts stays comparable. An {@link Spec#amountScale()} above 1
 * makes most transactions revert.
 */
public final class BlockGenerator {

  private static final Kind[] MIX = mix();

  private BlockGenerator() {}

  /**
   * What to generate.
   *
   * @param accounts accounts, at least 2
   * @param pools pools and markets, at least 1 (see {@link Layout#defaultPools})
   * @param transactions transactions in the block, at least 1
   * @param seed seed of every random draw
   * @param work base rounds of SHA-256 per transaction (swaps spend 3x, borrows and unstakes 2x), 0 or more
   * @param amountScale multiplies every amount drawn, at least 1
   */
  public record Spec(int accounts, int pools, int transactions, long seed, int work, int amountScale) {

    /** @throws IllegalArgumentException naming the value out of range */
    public Spec {
      new Layout(accounts, pools);
      if (transactions < 1) throw new IllegalArgumentException("a block needs at least 1 transaction, not " + transactions);
      if (work < 0) throw new IllegalArgumentException("work must not be negative: " + work);
      if (amountScale < 1) throw new IllegalArgumentException("amount scale must be at least 1: " + amountScale);
    }

    /** A spec with {@link Layout#defaultPools} pools and amounts at scale 1. */
    public static Spec of(int accounts, int transactions, long seed, int work) {
      return new Spec(accounts, Layout.defaultPools(accounts), transactions, seed, work, 1);
    }
  }

  /** The block {@code spec} describes. */
  public static Block generate(Spec spec) {
    return new Generation(spec).block();
  }

  /** One block being generated: the random stream and who has staked, borrowed and supplied so far. */
  private static final class Generation {
    private final Spec spec;
    private final Layout layout;
    private final SplittableRandom random;
    private final Entity[] genesis;
    private final Senders stakers = new Senders();
    private final Senders borrowers = new Senders();
    private final Senders suppliers = new Senders();

    Generation(Spec spec) {
      this.spec = spec;
      this.layout = new Layout(spec.accounts(), spec.pools());
      this.random = new SplittableRandom(spec.seed());
      this.genesis = new Entity[layout.size()];
    }

    Block block() {
      long wealth = Math.max(1, Math.round(Math.sqrt((double) spec.transactions() / spec.accounts() / 20)));
      for (int a = 0; a < layout.accounts(); a++) {
        genesis[layout.account(a)] = Account.of(wealth * (100_000 + random.nextLong(900_000)), wealth * (100_000 + random.nextLong(900_000)));
      }
      for (int p = 0; p < layout.pools(); p++) {
        genesis[layout.pool(p)] = new Pool(wealth * (50_000_000 + random.nextLong(50_000_000)), wealth * (50_000_000 + random.nextLong(50_000_000)));
        genesis[layout.market(p)] = new Market(wealth * (5_000_000 + random.nextLong(5_000_000)), 0, 0);
      }
      Transaction[] txs = new Transaction[spec.transactions()];
      for (int i = 0; i < txs.length; i++) txs[i] = transaction(i, MIX[random.nextInt(MIX.length)], wealth * spec.amountScale());
      return new Block(layout, genesis, txs);
    }

    private Transaction transaction(int position, Kind kind, long scale) {
      int account = switch (kind) {
        case UNSTAKE, BORROW -> stakers.pick(random, layout);
        case REPAY -> borrowers.pick(random, layout);
        case WITHDRAW -> suppliers.pick(random, layout);
        default -> layout.account(random.nextInt(layout.accounts()));
      };
      int home = layout.homeMarket(account);
      int priceSource = layout.priceSource(home);
      int work = spec.work();
      int[] none = {};
      return switch (kind) {
        case TRANSFER -> {
          int other = layout.account(random.nextInt(layout.accounts() - 1));
          if (other >= account) other++;
          yield new Transaction(position, kind, account, other, draw(100_000, scale), 0, work, new int[] {account, other}, none);
        }
        case SWAP_CASH_FOR_TOKENS, SWAP_TOKENS_FOR_CASH -> {
          int pool = layout.pool(random.nextInt(layout.pools()));
          long in = draw(50_000, scale);
          Pool reserves = (Pool) genesis[pool];
          boolean buysTokens = kind == Kind.SWAP_CASH_FOR_TOKENS;
          double quote = quote(in, buysTokens ? reserves.cash() : reserves.tokens(), buysTokens ? reserves.tokens() : reserves.cash());
          long limit = (long) (quote * (1 - random.nextInt(300) / 10_000.0));
          yield new Transaction(position, kind, account, pool, in, limit, 3 * work, new int[] {account, pool}, none);
        }
        case STAKE -> {
          stakers.add(account);
          yield new Transaction(position, kind, account, -1, draw(200_000, scale), 0, work, new int[] {account}, none);
        }
        case UNSTAKE -> new Transaction(position, kind, account, -1, draw(100_000, scale), 0, 2 * work, new int[] {account},
            new int[] {priceSource});
        case SUPPLY -> {
          suppliers.add(account);
          yield new Transaction(position, kind, account, home, draw(100_000, scale), 0, work, new int[] {account, home}, none);
        }
        case WITHDRAW -> new Transaction(position, kind, account, home, draw(100_000, scale), 0, work, new int[] {account, home}, none);
        case BORROW -> {
          borrowers.add(account);
          yield new Transaction(position, kind, account, home, draw(60_000, scale), 0, 2 * work, new int[] {account, home},
              new int[] {priceSource});
        }
        case REPAY -> new Transaction(position, kind, account, home, draw(80_000, scale), 0, work, new int[] {account, home}, none);
      };
    }

    private long draw(long bound, long scale) {
      return (1 + random.nextLong(bound)) * scale;
    }
  }

  /** What selling {@code in} would receive at the genesis reserves, before anything else trades. */
  private static double quote(long in, long reserveIn, long reserveOut) {
    double afterFee = in * (10_000 - Execution.FEE_BPS) / 10_000.0;
    return afterFee * reserveOut / (reserveIn + afterFee);
  }

  /** Accounts that sent a kind of transaction so far, with repeats; picks one, or any account if none did. */
  private static final class Senders {
    private int[] accounts = new int[16];
    private int size;

    void add(int account) {
      if (size == accounts.length) accounts = Arrays.copyOf(accounts, size * 2);
      accounts[size++] = account;
    }

    int pick(SplittableRandom random, Layout layout) {
      return size == 0 ? layout.account(random.nextInt(layout.accounts())) : accounts[random.nextInt(size)];
    }
  }

  private static Kind[] mix() {
    int[] percent = {28, 12, 12, 9, 7, 7, 6, 10, 9}; // in Kind order
    Kind[] mix = new Kind[100];
    int i = 0;
    for (Kind kind : Kind.values()) for (int n = 0; n < percent[kind.ordinal()]; n++) mix[i++] = kind;
    return mix;
  }
}
