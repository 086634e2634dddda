package io.pel.samples.ledger;

/**
 * Where every piece of a ledger's state lives: one integer key per entity, accounts first, then the
 * liquidity pools, then the lending markets, so that a state is one array indexed by key.
 *
 * <p>There are as many markets as pools, and market {@code m} values collateral at the spot price of pool
 * {@code m}. An account supplies to and borrows from only its home market, {@code account mod pools}.
 *
 * @param accounts number of accounts, at least 2
 * @param pools number of pools and of markets, at least 1
 */
public record Layout(int accounts, int pools) {

  /** @throws IllegalArgumentException if there are fewer than 2 accounts or no pool, or too many keys */
  public Layout {
    if (accounts < 2) throw new IllegalArgumentException("a ledger needs at least 2 accounts, not " + accounts);
    if (pools < 1) throw new IllegalArgumentException("a ledger needs at least 1 pool, not " + pools);
    if ((long) accounts + 2L * pools > Integer.MAX_VALUE) throw new IllegalArgumentException("too many entities");
  }

  /** The number of pools a block over {@code accounts} accounts gets by default: one per 50 accounts. */
  public static int defaultPools(int accounts) {
    return Math.max(1, accounts / 50);
  }

  /** The number of keys: accounts, pools and markets. */
  public int size() {
    return accounts + 2 * pools;
  }

  public int account(int index) {
    return index;
  }

  public int pool(int index) {
    return accounts + index;
  }

  public int market(int index) {
    return accounts + pools + index;
  }

  public boolean isAccount(int key) {
    return key >= 0 && key < accounts;
  }

  public boolean isPool(int key) {
    return key >= accounts && key < accounts + pools;
  }

  public boolean isMarket(int key) {
    return key >= accounts + pools && key < size();
  }

  /** The key of the market {@code account} supplies to and borrows from. */
  public int homeMarket(int account) {
    return market(account % pools);
  }

  /** The key of the pool whose price values the collateral of loans from {@code market}. */
  public int priceSource(int market) {
    return pool(market - accounts - pools);
  }

  /** {@code "account 7"}, {@code "pool 2"}, {@code "market 0"}, for messages. */
  public String describe(int key) {
    if (isAccount(key)) return "account " + key;
    if (isPool(key)) return "pool " + (key - accounts);
    if (isMarket(key)) return "market " + (key - accounts - pools);
    return "key " + key + " (outside the ledger)";
  }
}
