package io.pel.actors.internal;

/**
 * How many threads the blocking pool may run. Decided once a sample interval, from what the pool saw in it:
 *
 * <ul>
 *   <li><b>Growth</b>: every thread was busy and work still waits. The size grows by as many threads as
 *       wait, at most doubling, up to the maximum.
 *   <li><b>A growth that did not pay is taken back</b>: once the grown pool has run for an interval (and
 *       finished a task a thread), its completions per second are compared with those before. If work
 *       still waits and the rate rose by less than a quarter of what the added threads would give in
 *       proportion, the threads do not help (the work is CPU-bound, or waits on one shared resource): the
 *       pool goes back to its size before and does not grow again for the cooldown.
 *   <li><b>Shrink</b>: when for a whole idle period some threads were never needed (the most busy at once
 *       stayed below the size) and nothing waited, the size falls to that peak (not below the minimum),
 *       and not again before the cooldown. A trickle of tasks keeps only the threads it uses.
 * </ul>
 *
 * <p>Pure: it reads no clock (the caller passes the time in nanoseconds) and runs no thread, so tests drive
 * it through any history. One caller at a time.
 */
final class PoolSizer {

  /** A growth is kept if the rate rose by at least this share of the proportional gain. */
  static final double GAIN_KEPT = 0.25;
  /** A growth is judged after at most this many intervals, even if few tasks finished. */
  private static final int MAX_JUDGING_INTERVALS = 4;

  /**
   * A growth is taken back if the routees, busy before and after, run more than this share fewer attempts than
   * they did, busy, before the pool's growth began: the budget of all its growths together, so that small
   * steps cannot add up to a large loss.
   */
  static final double ROUTEE_COST = 0.05;
  /** The routees count as busy (their throughput as bound by the CPU) from this busy fraction. */
  static final double ROUTEES_BUSY = 0.75;

  /**
   * What this node's routees (not the pool) have done, in all: attempts completed, time busy on their
   * threads, and how many there are. {@link #NONE} when not known.
   */
  record RouteeWork(long completed, long busyNanos, int routees) {
    static final RouteeWork NONE = new RouteeWork(0, 0, 0);
  }

  /** How often, in sample intervals, a pool grown past its minimum beside busy routees tries half its size. */
  static final int PROBE_EVERY = 10;
  /** How long a probe lasts, in sample intervals: long enough that the routees' rate is not read from noise. */
  static final int PROBE_LENGTH = 2;
  /** A probe keeps the half size if the busy routees ran faster by more than this share. */
  static final double PROBE_GAIN = 0.03;

  /** What changed at a tick, for the pool's log. */
  enum Change { NONE, GREW, TAKEN_BACK, SHRANK, PROBING, PROBED_SMALLER }

  private final BlockingPoolSettings settings;
  private int target;
  private long lastTick;
  private long lastCompleted;
  // a growth being judged
  private boolean judging;
  private int grownFrom;
  private double rateBefore;
  private long grownAt;
  private long completedAtGrowth;
  private RouteeWork lastRoutees = RouteeWork.NONE;
  private RouteeWork routeesAtGrowth = RouteeWork.NONE;
  private double routeeRateBefore;
  private boolean routeesBusyBefore;
  /** The busy routees' rate before this run of growths began, or NaN: what the growths are measured against. */
  private double routeeReference = Double.NaN;
  private long growHoldUntil = Long.MIN_VALUE;
  // the idle streak
  private long idleSince = -1;
  private int idlePeak;
  private long shrinkHoldUntil = Long.MIN_VALUE;
  private String why = "";
  // a probe: half the size for an interval, to see whether the busy routees run faster without the rest
  private boolean probing;
  private int probeFrom;
  private long probeAt;
  private RouteeWork routeesAtProbe = RouteeWork.NONE;
  private double routeeRateBeforeProbe;
  private long nextProbe;

  PoolSizer(BlockingPoolSettings settings, long now) {
    this.settings = settings;
    this.target = Math.max(settings.minThreads(), Math.min(settings.maxThreads(), 1));
    this.lastTick = now;
    this.nextProbe = now + PROBE_EVERY * settings.sampleInterval().toNanos();
  }

  /** The threads the pool may run now. */
  int target() {
    return target;
  }

  /** Why the last change happened, in words for the log. */
  String why() {
    return why;
  }

  /**
   * One sample interval's end.
   *
   * @param now the time, in nanoseconds
   * @param peakBusy the most threads busy at once since the last tick
   * @param queued tasks waiting for a thread now
   * @param completed tasks the pool has finished, in all
   */
  Change tick(long now, int peakBusy, int queued, long completed) {
    return tick(now, peakBusy, queued, completed, RouteeWork.NONE);
  }

  /**
   * The same, with what the routees have done ({@code routees}): a growth is also taken back when the
   * routees were busy before and after it and ran fewer attempts ({@link #ROUTEE_COST}), as the pool's
   * threads then take the CPU from CPU-bound work.
   */
  Change tick(long now, int peakBusy, int queued, long completed, RouteeWork routees) {
    long elapsed = now - lastTick;
    if (elapsed <= 0) return Change.NONE;
    double rate = (completed - lastCompleted) * 1e9 / elapsed;
    if (probing) {
      Change probed = judgeProbe(now, routees);
      lastTick = now;
      lastCompleted = completed;
      lastRoutees = routees;
      return probed;
    }
    Change change = judging ? judge(now, queued, completed, routees) : Change.NONE;
    if (change == Change.NONE && !judging && now >= nextProbe && target > settings.minThreads() && queued > 0
        && busy(lastRoutees, routees, elapsed)) {
      // Work waiting for the pool and the routees busy too: is the pool's size taking their CPU?
      probing = true;
      probeFrom = target;
      probeAt = now;
      routeesAtProbe = routees;
      routeeRateBeforeProbe = rate(lastRoutees, routees, elapsed);
      target = Math.max(Math.max(1, settings.minThreads()), target / 2);
      change = Change.PROBING;
    }
    if (change == Change.NONE && !judging && queued > 0 && peakBusy >= target && target < settings.maxThreads() && now >= growHoldUntil) {
      grownFrom = target;
      rateBefore = rate;
      target = Math.min(settings.maxThreads(), target + Math.min(Math.max(target, 1), queued));
      judging = true;
      grownAt = now;
      completedAtGrowth = completed;
      routeesAtGrowth = routees;
      routeeRateBefore = rate(lastRoutees, routees, elapsed);
      routeesBusyBefore = busy(lastRoutees, routees, elapsed);
      if (!routeesBusyBefore) routeeReference = Double.NaN;
      else if (Double.isNaN(routeeReference)) routeeReference = routeeRateBefore;
      why = "every thread busy and " + queued + " tasks waiting (" + Math.round(rate) + " tasks/s)";
      change = Change.GREW;
    }
    if (change == Change.NONE) change = idle(now, peakBusy, queued);
    if (!judging && change != Change.GREW && (target <= settings.minThreads() || !busy(lastRoutees, routees, elapsed))) {
      routeeReference = Double.NaN; // the routees' load is another now, or the pool is back at its floor
    }
    lastTick = now;
    lastCompleted = completed;
    lastRoutees = routees;
    return change;
  }

  /** After a probe: keep the half size if the busy routees ran faster by more than {@link #PROBE_GAIN}, else go back. */
  private Change judgeProbe(long now, RouteeWork routees) {
    long since = now - probeAt;
    if (since < PROBE_LENGTH * settings.sampleInterval().toNanos()) return Change.NONE;
    probing = false;
    nextProbe = now + PROBE_EVERY * settings.sampleInterval().toNanos();
    double after = rate(routeesAtProbe, routees, since);
    if (busy(routeesAtProbe, routees, since) && after > (1 + PROBE_GAIN) * routeeRateBeforeProbe) {
      why = "with " + target + " threads instead of " + probeFrom + " the busy routees ran "
          + Math.round(routeeRateBeforeProbe) + " -> " + Math.round(after) + " attempts/s: the threads took their CPU; no growth for "
          + settings.cooldown().toSeconds() + "s";
      routeeReference = after;
      growHoldUntil = now + settings.cooldown().toNanos();
      return Change.PROBED_SMALLER;
    }
    target = probeFrom;
    return Change.NONE;
  }

  private static double rate(RouteeWork from, RouteeWork to, long nanos) {
    return (to.completed() - from.completed()) * 1e9 / nanos;
  }

  private static boolean busy(RouteeWork from, RouteeWork to, long nanos) {
    return to.routees() > 0 && to.routees() == from.routees()
        && (to.busyNanos() - from.busyNanos()) >= ROUTEES_BUSY * nanos * to.routees();
  }

  private Change judge(long now, int queued, long completed, RouteeWork routees) {
    long since = now - grownAt;
    long done = completed - completedAtGrowth;
    boolean enough = since >= settings.sampleInterval().toNanos() && done >= target;
    if (!enough && since < MAX_JUDGING_INTERVALS * settings.sampleInterval().toNanos()) return Change.NONE;
    judging = false;
    double routeeRateAfter = rate(routeesAtGrowth, routees, since);
    if (routeesBusyBefore && busy(routeesAtGrowth, routees, since) && routeeRateAfter < (1 - ROUTEE_COST) * routeeReference) {
      return takeBack(now, "growing from " + grownFrom + " to " + target + " threads slowed the CPU-bound work on the routees ("
          + Math.round(routeeReference) + " -> " + Math.round(routeeRateAfter) + " attempts/s)");
    }
    if (queued == 0) return Change.NONE; // the backlog is gone: the growth served it
    double rateAfter = done * 1e9 / since;
    double wanted = rateBefore * (1 + GAIN_KEPT * (target - grownFrom) / (double) grownFrom);
    if (rateAfter >= wanted) return Change.NONE;
    return takeBack(now, "growing from " + grownFrom + " to " + target + " threads did not raise throughput ("
        + Math.round(rateBefore) + " -> " + Math.round(rateAfter) + " tasks/s)");
  }

  private Change takeBack(long now, String reason) {
    why = reason + "; no growth for " + settings.cooldown().toSeconds() + "s";
    target = grownFrom;
    growHoldUntil = now + settings.cooldown().toNanos();
    return Change.TAKEN_BACK;
  }

  private Change idle(long now, int peakBusy, int queued) {
    if (queued > 0 || peakBusy >= target) {
      idleSince = -1;
      return Change.NONE;
    }
    if (idleSince < 0) {
      idleSince = lastTick;
      idlePeak = 0;
    }
    idlePeak = Math.max(idlePeak, peakBusy);
    int to = Math.max(settings.minThreads(), idlePeak);
    if (now - idleSince < settings.idlePeriod().toNanos() || now < shrinkHoldUntil || to >= target) return Change.NONE;
    why = "at most " + idlePeak + " of " + target + " threads busy for " + settings.idlePeriod().toSeconds() + "s";
    target = to;
    shrinkHoldUntil = now + settings.cooldown().toNanos();
    idleSince = -1;
    return Change.SHRANK;
  }
}
