package io.pel.bench;

/** The workloads' deterministic arithmetic: the SplitMix64 finaliser and the cpumap kernel. */
public final class Mix {

  private Mix() {}

  /** SplitMix64's finaliser: a fixed, well-spread 64-bit function of {@code z}. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /**
   * The cpumap kernel: {@code rounds} rounds of xorshift64 (13, 7, 17) plus an odd multiply over a state
   * seeded with {@code mix(i)}. Each round depends on the one before, so the JIT cannot shorten it.
   */
  public static long burn(long i, int rounds) {
    long x = mix(i);
    for (int r = 0; r < rounds; r++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      x *= 0x9e3779b97f4a7c15L;
    }
    return x;
  }
}
