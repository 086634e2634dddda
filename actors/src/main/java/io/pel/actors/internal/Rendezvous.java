package io.pel.actors.internal;

import java.util.List;

/**
 * Rendezvous (highest random weight) hashing: a key goes to the routee with the highest score of
 * {@code mix(key, routee)}. Adding or removing one of N routees moves only the keys it wins or won, about
 * 1/N of them, and needs no ring to rebuild.
 */
final class Rendezvous {

  private Rendezvous() {}

  /** FNV-1a over the UTF-16 code units, then mixed: stable across JVMs and runs. */
  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return mix(h);
  }

  /** The SplitMix64 finaliser. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** The routee {@code keyHash} belongs to among {@code routees}, skipping {@code avoid} if others exist. */
  static RouteeState pick(long keyHash, List<RouteeState> routees, RouteeState avoid) {
    RouteeState best = null;
    long bestScore = 0;
    boolean skip = avoid != null && routees.size() > 1;
    for (RouteeState r : routees) {
      if (skip && r == avoid) continue;
      long score = mix(keyHash ^ r.hash);
      if (best == null || Long.compareUnsigned(score, bestScore) > 0) {
        best = r;
        bestScore = score;
      }
    }
    return best;
  }
}
