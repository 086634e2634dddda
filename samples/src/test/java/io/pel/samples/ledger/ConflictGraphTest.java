package io.pel.samples.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.samples.ledger.Transaction.Kind;
import java.util.ArrayDeque;
import org.junit.jupiter.api.Test;

class ConflictGraphTest {

  /** A ledger of 8 keys; the graph only looks at what a transaction declares. */
  private static final int KEYS = 8;

  private static Transaction tx(int position, int[] writes, int[] reads) {
    return new Transaction(position, Kind.TRANSFER, 0, 1, 1, 0, 0, writes, reads);
  }

  private static int[] keys(int... keys) {
    return keys;
  }

  private static ConflictGraph graph(Transaction... txs) {
    return ConflictGraph.of(txs, KEYS);
  }

  private static int[] dependents(ConflictGraph graph, int i) {
    int[] out = new int[graph.endOfDependents(i) - graph.firstDependent(i)];
    for (int e = graph.firstDependent(i); e < graph.endOfDependents(i); e++) out[e - graph.firstDependent(i)] = graph.dependent(e);
    return out;
  }

  @Test
  void aWriteAfterAWriteOfTheSameKeyIsAnEdge() {
    ConflictGraph g = graph(tx(0, keys(3), keys()), tx(1, keys(3), keys()));
    assertArrayEquals(new int[] {0, 1}, g.dependencyCounts());
    assertArrayEquals(new int[] {1}, dependents(g, 0));
    assertEquals(1, g.edges());
  }

  @Test
  void aReadAfterAWriteAndAWriteAfterAReadAreEdges() {
    ConflictGraph readAfterWrite = graph(tx(0, keys(3), keys()), tx(1, keys(), keys(3)));
    assertArrayEquals(new int[] {0, 1}, readAfterWrite.dependencyCounts());
    assertArrayEquals(new int[] {1}, dependents(readAfterWrite, 0));

    ConflictGraph writeAfterRead = graph(tx(0, keys(), keys(3)), tx(1, keys(3), keys()));
    assertArrayEquals(new int[] {0, 1}, writeAfterRead.dependencyCounts());
    assertArrayEquals(new int[] {1}, dependents(writeAfterRead, 0));
  }

  @Test
  void twoReadersOfAKeyAreIndependentButALaterWriterWaitsForBoth() {
    ConflictGraph g = graph(tx(0, keys(), keys(3)), tx(1, keys(), keys(3)), tx(2, keys(3), keys()));
    assertArrayEquals(new int[] {0, 0, 2}, g.dependencyCounts());
    assertArrayEquals(new int[] {2}, dependents(g, 0));
    assertArrayEquals(new int[] {2}, dependents(g, 1));
    assertEquals(2, g.longestChain());
  }

  @Test
  void readersSinceTheLastWriteWaitForItAndTheNextWriterWaitsForThemAll() {
    ConflictGraph g = graph(tx(0, keys(3), keys()), tx(1, keys(), keys(3)), tx(2, keys(), keys(3)), tx(3, keys(3), keys()),
        tx(4, keys(3), keys()));
    assertArrayEquals(new int[] {0, 1, 1, 3, 1}, g.dependencyCounts());
    assertArrayEquals(new int[] {1, 2, 3}, dependents(g, 0));
    assertArrayEquals(new int[] {3}, dependents(g, 1));
    assertArrayEquals(new int[] {3}, dependents(g, 2));
    assertArrayEquals(new int[] {4}, dependents(g, 3), "the readers before 3's write are not readers for 4");
    assertArrayEquals(new int[] {}, dependents(g, 4));
  }

  @Test
  void disjointTransactionsHaveNoEdge() {
    ConflictGraph g = graph(tx(0, keys(0, 1), keys(7)), tx(1, keys(2, 3), keys(7)), tx(2, keys(4), keys(5)), tx(3, keys(6), keys()));
    assertEquals(0, g.edges());
    assertArrayEquals(new int[] {0, 0, 0, 0}, g.dependencyCounts());
    assertEquals(1, g.longestChain());
  }

  @Test
  void aKeyDeclaredTwiceInOneTransactionCountsOnce() {
    ConflictGraph g = graph(tx(0, keys(3), keys()), tx(1, keys(3, 3), keys(3, 3)), tx(2, keys(), keys(5, 5)),
        tx(3, keys(5, 5), keys()));
    assertArrayEquals(new int[] {0, 1, 0, 1}, g.dependencyCounts());
    assertArrayEquals(new int[] {1}, dependents(g, 0));
    assertArrayEquals(new int[] {3}, dependents(g, 2), "a reader listed twice gives its writer one edge");
    assertEquals(2, g.edges());
  }

  @Test
  void aTransactionThatReadsAndWritesAKeyIsItsWriterNotAReader() {
    ConflictGraph g = graph(tx(0, keys(3), keys(3)), tx(1, keys(3), keys()));
    assertArrayEquals(new int[] {0, 1}, g.dependencyCounts());
    assertArrayEquals(new int[] {1}, dependents(g, 0));
  }

  @Test
  void keysOutsideTheLedgerAreIgnored() {
    ConflictGraph g = graph(tx(0, keys(-1, KEYS, 1_000_000), keys(KEYS + 1, Integer.MIN_VALUE)),
        tx(1, keys(-1, KEYS, 1_000_000), keys(KEYS + 1)), tx(2, keys(KEYS + 1), keys(-1)));
    assertEquals(0, g.edges());
    assertArrayEquals(new int[] {0, 0, 0}, g.dependencyCounts());
  }

  @Test
  void theLongestChainOfASmallBlock() {
    // 0 -> 2 -> 3 -> 5 through keys 1, 2 and 3; 1 -> 3 through key 4; 4 stands alone.
    ConflictGraph g = graph(
        tx(0, keys(1), keys()),
        tx(1, keys(4), keys()),
        tx(2, keys(2), keys(1)),
        tx(3, keys(3), keys(2, 4)),
        tx(4, keys(6), keys()),
        tx(5, keys(3), keys()));
    assertEquals(4, g.longestChain());
    assertEquals(6, g.size());
    assertArrayEquals(new int[] {0, 0, 1, 2, 0, 1}, g.dependencyCounts());
    assertArrayEquals(new int[] {2}, dependents(g, 0));
    assertArrayEquals(new int[] {3}, dependents(g, 1));
    assertArrayEquals(new int[] {3}, dependents(g, 2));
    assertArrayEquals(new int[] {5}, dependents(g, 3));
    assertArrayEquals(new int[] {}, dependents(g, 4));
    assertArrayEquals(new int[] {}, dependents(g, 5));
  }

  @Test
  void dependencyCountsAreAFreshCopy() {
    ConflictGraph g = graph(tx(0, keys(3), keys()), tx(1, keys(3), keys()));
    g.dependencyCounts()[1] = 99;
    assertArrayEquals(new int[] {0, 1}, g.dependencyCounts());
  }

  @Test
  void anEmptyBlockHasAnEmptyGraph() {
    ConflictGraph g = graph();
    assertEquals(0, g.size());
    assertEquals(0, g.edges());
    assertEquals(0, g.longestChain());
  }

  @Test
  void everyConflictingPairOfAGeneratedBlockIsOrderedByAPath() {
    Block block = BlockGenerator.generate(BlockGenerator.Spec.of(20, 300, 11, 0));
    Transaction[] txs = block.transactions();
    ConflictGraph g = ConflictGraph.of(txs, block.layout().size());
    int[] counts = g.dependencyCounts();
    int conflicts = 0;
    for (int i = 0; i < txs.length; i++) {
      boolean[] reachable = reachableFrom(g, i);
      for (int j = i + 1; j < txs.length; j++) {
        if (conflict(txs[i], txs[j])) {
          conflicts++;
          assertTrue(reachable[j], "#" + j + " conflicts with #" + i + " but no path orders them");
        }
      }
    }
    assertTrue(conflicts > txs.length, "a block of 20 accounts is contended: " + conflicts + " conflicting pairs");
    int edges = 0;
    for (int i = 0; i < txs.length; i++) {
      for (int d : dependents(g, i)) {
        assertTrue(d > i, "an edge runs forwards in the block: " + i + " -> " + d);
        assertTrue(conflict(txs[i], txs[d]), "an edge joins conflicting transactions only: " + i + " -> " + d);
      }
      edges += counts[i];
    }
    assertEquals(g.edges(), edges, "the dependency counts add up to the edges");
  }

  private static boolean[] reachableFrom(ConflictGraph g, int start) {
    boolean[] seen = new boolean[g.size()];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    queue.add(start);
    while (!queue.isEmpty()) {
      int i = queue.poll();
      for (int d : dependents(g, i)) {
        if (!seen[d]) {
          seen[d] = true;
          queue.add(d);
        }
      }
    }
    return seen;
  }

  private static boolean conflict(Transaction a, Transaction b) {
    for (int k : a.writes()) if (b.declares(k)) return true;
    for (int k : b.writes()) if (a.declares(k)) return true;
    return false;
  }
}
