package io.pel.actors.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Task records by their node-local sequence number. The numbers are handed out in order and mostly settled
 * in order, so the table is a ring indexed by the number's low bits: the live records sit side by side, and
 * a task's put, get and remove touch the cache lines its neighbours just touched, with no boxing and no
 * node allocation. A record still live when a number one ring later needs its slot (a straggler: a long
 * task, a retry) moves to a spill map, which holds only those; when the spill grows past an eighth of the
 * ring, the ring doubles. (A hash that scrambled the numbers spread them over the table, and on {@code
 * submit}'s path every operation missed the cache: half the supervisor's time.)
 *
 * <p>Not thread-safe: owned by the {@link TaskLedger}, touched by the supervisor alone.
 */
final class LongRecordMap {

  private static final int FIRST_CAPACITY = 1 << 14;

  private long[] keys = new long[FIRST_CAPACITY];
  private TaskRecord[] values = new TaskRecord[FIRST_CAPACITY];
  private final Map<Long, TaskRecord> spill = new HashMap<>();
  /**
   * No key above it was ever spilled: a straggler is older than the number that took its slot, so a fresh
   * number is never in the spill, and looking it up there (boxing it) is skipped.
   */
  private long maxSpilled = Long.MIN_VALUE;
  private int size;

  int size() {
    return size;
  }

  TaskRecord get(long key) {
    int i = slot(key);
    TaskRecord value = values[i];
    if (value != null && keys[i] == key) return value;
    return mayBeSpilled(key) ? spill.get(key) : null;
  }

  /** Maps {@code key} to {@code value} (not null), replacing any mapping it had. */
  void put(long key, TaskRecord value) {
    int i = slot(key);
    TaskRecord there = values[i];
    if (there != null && keys[i] == key) {
      values[i] = value;
      return;
    }
    if (mayBeSpilled(key) && spill.containsKey(key)) {
      spill.put(key, value);
      return;
    }
    if (there != null) {
      spill(keys[i], there); // a straggler makes way
      values[i] = null;
      if (spill.size() > values.length / 8) {
        grow();
        put(key, value);
        return;
      }
    }
    keys[i] = key;
    values[i] = value;
    size++;
  }

  /** Removes and returns the mapping of {@code key}, or {@code null}. */
  TaskRecord remove(long key) {
    int i = slot(key);
    TaskRecord value = values[i];
    if (value != null && keys[i] == key) {
      values[i] = null;
      size--;
      return value;
    }
    if (!mayBeSpilled(key)) return null;
    TaskRecord spilled = spill.remove(key);
    if (spilled != null) size--;
    return spilled;
  }

  /** Every value, copied. */
  List<TaskRecord> values() {
    List<TaskRecord> all = new ArrayList<>(size);
    for (TaskRecord value : values) {
      if (value != null) all.add(value);
    }
    all.addAll(spill.values());
    return all;
  }

  /** Twice the ring, every record put back: the spilled ones too, into the ring if their slot is free now. */
  private void grow() {
    long[] oldKeys = keys;
    TaskRecord[] oldValues = values;
    List<Map.Entry<Long, TaskRecord>> spilled = new ArrayList<>(spill.entrySet());
    keys = new long[oldKeys.length * 2];
    values = new TaskRecord[oldValues.length * 2];
    spill.clear();
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldValues[i] != null) place(oldKeys[i], oldValues[i]);
    }
    for (Map.Entry<Long, TaskRecord> e : spilled) place(e.getKey(), e.getValue());
  }

  /** During {@link #grow}: into its slot, or the spill if the slot is taken (no growing again meanwhile). */
  private void place(long key, TaskRecord value) {
    int i = slot(key);
    if (values[i] == null) {
      keys[i] = key;
      values[i] = value;
    } else {
      spill(key, value);
    }
    size++;
  }

  private boolean mayBeSpilled(long key) {
    return !spill.isEmpty() && key <= maxSpilled;
  }

  private void spill(long key, TaskRecord value) {
    spill.put(key, value);
    if (key > maxSpilled) maxSpilled = key;
  }

  private int slot(long key) {
    return (int) (key ^ (key >>> 32)) & (values.length - 1);
  }
}
