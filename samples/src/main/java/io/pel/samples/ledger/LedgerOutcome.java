package io.pel.samples.ledger;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The result of executing a block: the state after it and one receipt per transaction.
 *
 * @param state every entity after the block, by key
 * @param receipts one per transaction, by block position
 */
public record LedgerOutcome(Entity[] state, Receipt[] receipts) {

  /** SHA-256 of every entity in key order, in hex: equal hashes mean equal balances, stakes, loans and reserves. */
  public String stateHash() {
    MessageDigest sha = Execution.sha256();
    ByteBuffer buffer = ByteBuffer.allocate(Entity.ENCODED_MAX);
    for (Entity e : state) {
      buffer.clear();
      e.encode(buffer);
      sha.update(buffer.array(), 0, buffer.position());
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** SHA-256 of every receipt in order (position, outcome, revert reason, proof), in hex. */
  public String receiptsHash() {
    MessageDigest sha = Execution.sha256();
    ByteBuffer buffer = ByteBuffer.allocate(Integer.BYTES + Long.BYTES + 1);
    for (Receipt r : receipts) {
      buffer.clear();
      buffer.putInt(r.position()).putLong(r.proof()).put((byte) (r.applied() ? 1 : 0));
      sha.update(buffer.array(), 0, buffer.position());
      if (!r.applied()) sha.update(r.revertReason().getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** The number of reverted transactions. */
  public int reverted() {
    int n = 0;
    for (Receipt r : receipts) if (!r.applied()) n++;
    return n;
  }

  /** Reverted transactions by the cause their reason starts with ({@code "insufficient cash"}, {@code "slippage"}...). */
  public Map<String, Integer> revertsByCause() {
    Map<String, Integer> byCause = new TreeMap<>();
    for (Receipt r : receipts) {
      if (!r.applied()) byCause.merge(cause(r.revertReason()), 1, Integer::sum);
    }
    return byCause;
  }

  /** Whether {@code other} has the same state and the same receipts, entity by entity and receipt by receipt. */
  public boolean sameAs(LedgerOutcome other) {
    return Arrays.equals(state, other.state) && Arrays.equals(receipts, other.receipts);
  }

  private static String cause(String reason) {
    int colon = reason.indexOf(':');
    return colon > 0 ? reason.substring(0, colon) : reason;
  }
}
