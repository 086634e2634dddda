package io.pel.samples.ledger;

import java.util.Arrays;

/**
 * Which transactions of a block must wait for which: transaction {@code j} depends on an earlier {@code i}
 * when one writes a key the other reads or writes. Only the nearest such edges are kept (the last writer
 * of each key, and the readers since it), which orders every conflicting pair through a chain of edges.
 * Transactions with no path between them touch disjoint state, so they may run at the same time and
 * their writes may land in any order.
 *
 * <p>Built once per block, in one pass over the declared keys; held as compressed adjacency arrays.
 */
final class ConflictGraph {

  private final int[] dependencies; // per transaction: how many earlier transactions it waits for
  private final int[] firstDependent; // dependents of i are dependents[firstDependent[i] .. firstDependent[i + 1])
  private final int[] dependents;
  private final int longestChain;

  private ConflictGraph(int[] dependencies, int[] firstDependent, int[] dependents, int longestChain) {
    this.dependencies = dependencies;
    this.firstDependent = firstDependent;
    this.dependents = dependents;
    this.longestChain = longestChain;
  }

  /** The graph of {@code transactions} over a ledger of {@code keys} keys; keys outside it are ignored. */
  static ConflictGraph of(Transaction[] transactions, int keys) {
    int n = transactions.length;
    int[] lastWriter = new int[keys];
    Arrays.fill(lastWriter, -1);
    int[][] readers = new int[keys][]; // readers of a key since its last write
    int[] readerCount = new int[keys];
    int[] mark = new int[n]; // mark[i] == j + 1: edge i -> j already recorded
    int[] depth = new int[n];
    IntList from = new IntList();
    IntList to = new IntList();
    int[] dependencies = new int[n];
    int longest = 0;
    for (int j = 0; j < n; j++) {
      Transaction tx = transactions[j];
      int before = from.size;
      for (int key : tx.reads()) {
        if (key >= 0 && key < keys && lastWriter[key] >= 0) edge(lastWriter[key], j, mark, from, to);
      }
      for (int key : tx.writes()) {
        if (key < 0 || key >= keys) continue;
        if (lastWriter[key] >= 0) edge(lastWriter[key], j, mark, from, to);
        for (int r = 0; r < readerCount[key]; r++) edge(readers[key][r], j, mark, from, to);
      }
      int d = 1;
      for (int e = before; e < from.size; e++) d = Math.max(d, depth[from.values[e]] + 1);
      depth[j] = d;
      longest = Math.max(longest, d);
      dependencies[j] = from.size - before;
      for (int key : tx.writes()) {
        if (key < 0 || key >= keys) continue;
        lastWriter[key] = j;
        readerCount[key] = 0;
      }
      for (int key : tx.reads()) {
        if (key < 0 || key >= keys || lastWriter[key] == j) continue;
        if (readers[key] == null) readers[key] = new int[4];
        if (readerCount[key] == readers[key].length) readers[key] = Arrays.copyOf(readers[key], readerCount[key] * 2);
        if (readerCount[key] == 0 || readers[key][readerCount[key] - 1] != j) readers[key][readerCount[key]++] = j;
      }
    }
    int[] firstDependent = new int[n + 1];
    for (int e = 0; e < from.size; e++) firstDependent[from.values[e] + 1]++;
    for (int i = 0; i < n; i++) firstDependent[i + 1] += firstDependent[i];
    int[] dependents = new int[from.size];
    int[] fill = Arrays.copyOf(firstDependent, n);
    for (int e = 0; e < from.size; e++) dependents[fill[from.values[e]]++] = to.values[e];
    return new ConflictGraph(dependencies, firstDependent, dependents, longest);
  }

  private static void edge(int i, int j, int[] mark, IntList from, IntList to) {
    if (mark[i] == j + 1) return;
    mark[i] = j + 1;
    from.add(i);
    to.add(j);
  }

  int size() {
    return dependencies.length;
  }

  /** A fresh copy of how many transactions each one waits for. */
  int[] dependencyCounts() {
    return dependencies.clone();
  }

  int firstDependent(int i) {
    return firstDependent[i];
  }

  int endOfDependents(int i) {
    return firstDependent[i + 1];
  }

  int dependent(int index) {
    return dependents[index];
  }

  /** The number of dependency edges. */
  int edges() {
    return dependents.length;
  }

  /**
   * The most transactions on one chain of dependencies: they run one after another whatever the schedule.
   * With transactions of equal cost, {@code size() / longestChain()} would bound the speed-up of any
   * number of cores.
   */
  int longestChain() {
    return longestChain;
  }

  /** A growable array of ints. */
  private static final class IntList {
    int[] values = new int[64];
    int size;

    void add(int v) {
      if (size == values.length) values = Arrays.copyOf(values, size * 2);
      values[size++] = v;
    }
  }
}
