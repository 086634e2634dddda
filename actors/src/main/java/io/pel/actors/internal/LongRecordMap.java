package io.pel.actors.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Task records by their node-local sequence number: an open-addressing table with linear probing, so
 * that the task path's put, get and remove cost no boxing and no node allocation. Not thread-safe: owned
 * by the {@link TaskLedger}, touched by the supervisor alone.
 *
 * <p>Removal shifts the following entries of the probe run back, so no tombstones accumulate; the table
 * doubles when it is half full and never shrinks below its first size.
 */
final class LongRecordMap {

  private static final int FIRST_CAPACITY = 1024;

  private long[] keys = new long[FIRST_CAPACITY];
  private TaskRecord[] values = new TaskRecord[FIRST_CAPACITY];
  private int size;

  int size() {
    return size;
  }

  TaskRecord get(long key) {
    int mask = keys.length - 1;
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      TaskRecord value = values[i];
      if (value == null) return null;
      if (keys[i] == key) return value;
    }
  }

  /** Maps {@code key} to {@code value} (not null), replacing any mapping it had. */
  void put(long key, TaskRecord value) {
    if (2 * (size + 1) > keys.length) grow();
    int mask = keys.length - 1;
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      if (values[i] == null) {
        keys[i] = key;
        values[i] = value;
        size++;
        return;
      }
      if (keys[i] == key) {
        values[i] = value;
        return;
      }
    }
  }

  /** Removes and returns the mapping of {@code key}, or {@code null}. */
  TaskRecord remove(long key) {
    int mask = keys.length - 1;
    int i = slot(key, mask);
    while (values[i] != null && keys[i] != key) i = (i + 1) & mask;
    TaskRecord removed = values[i];
    if (removed == null) return null;
    // Shift back the entries after it whose probe run passes through the freed slot.
    int free = i;
    for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
      int home = slot(keys[j], mask);
      boolean between = free <= j ? (home <= free || home > j) : (home <= free && home > j);
      if (between) {
        keys[free] = keys[j];
        values[free] = values[j];
        free = j;
      }
    }
    values[free] = null;
    size--;
    return removed;
  }

  /** Every value, copied. */
  List<TaskRecord> values() {
    List<TaskRecord> all = new ArrayList<>(size);
    for (TaskRecord value : values) {
      if (value != null) all.add(value);
    }
    return all;
  }

  private void grow() {
    long[] oldKeys = keys;
    TaskRecord[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new TaskRecord[oldValues.length * 2];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldValues[i] != null) put(oldKeys[i], oldValues[i]);
    }
  }

  private static int slot(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
