package io.pel.actors;

/**
 * How busy this node's routees are, as cumulative counters read at one moment: two readings apart in
 * time give the routees' busy fraction, the attempts they completed per second, and the rate they could
 * complete if fully busy ({@link #between}). What sizes routee pools and clusters by demand reads it.
 *
 * @param nanos when it was read, on the reader's clock ({@link ExecutionLayer#load(long)})
 * @param busyNanos time this node's routees spent running attempts on their threads, summed over routees:
 *     an asynchronous handler counts while it starts its work, not while its result is awaited
 * @param completed attempts this node's routees have answered
 * @param routees this node's own routees
 * @param waiting tasks waiting at this node's supervisor for a routee with room, as of its last dispatch
 */
public record NodeLoad(long nanos, long busyNanos, long completed, int routees, int waiting) {

  /**
   * The load over the time from {@code earlier} to this reading.
   *
   * @throws IllegalArgumentException if {@code earlier} is not earlier
   */
  public Window between(NodeLoad earlier) {
    long elapsed = nanos - earlier.nanos;
    if (elapsed <= 0) throw new IllegalArgumentException("the earlier reading is not earlier: " + earlier.nanos + " >= " + nanos);
    double seconds = elapsed / 1e9;
    double busy = routees == 0 ? 0 : Math.min(1.0, Math.max(0, busyNanos - earlier.busyNanos) / (elapsed * (double) routees));
    double rate = Math.max(0, completed - earlier.completed) / seconds;
    return new Window(seconds, busy, rate, busy > 0 ? rate / busy : 0, routees, waiting);
  }

  /**
   * The load over a span of time.
   *
   * @param seconds the span's length
   * @param busyFraction the routees' busy time over their time in the span, 0 to 1
   * @param completedPerSecond attempts completed per second
   * @param trueRatePerSecond what the routees would complete per second if always busy: {@code
   *     completedPerSecond / busyFraction} (Flink's autoscaler's "true processing rate"); 0 when idle
   * @param routees this node's routees at the end of the span
   * @param waiting tasks waiting for a routee at the end of the span
   */
  public record Window(double seconds, double busyFraction, double completedPerSecond, double trueRatePerSecond, int routees, int waiting) {}
}
