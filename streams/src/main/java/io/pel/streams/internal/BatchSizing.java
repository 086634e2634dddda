package io.pel.streams.internal;

/**
 * How a {@link io.pel.streams.ParallelFlow} that was not batched by hand sizes its batches and its window,
 * from what it measures. Owned by one stage's logic and touched only on its thread.
 *
 * <p>Batches form by themselves: elements that arrive while the routees are busy wait for the next
 * batch, which leaves the moment a routee can take more (fewer than {@link #batchesInFlight} batches are
 * out), or as soon as it is full. On an idle layer an element therefore leaves alone and at once; under
 * load batches grow, up to the size whose work is {@link #TARGET_BATCH_NANOS}. A batch costs one message
 * each way, one routing decision and a few thread wake-ups, each of which, on cores that the routees
 * keep busy, takes a routee off its core for a while: measured on 2 cores with elements of 57 us, 1 ms
 * batches lost 10% of the cores' limit, 4 ms ones 6% and 8 ms ones 3-4%. Tiny tasks travel by the
 * thousand; tasks of several milliseconds travel alone.
 *
 * <p>The window (elements taken in and not yet emitted) follows Little's law: two batches per routee
 * (one running, one waiting so the routee never idles through a round trip) plus the one being filled,
 * bounded by {@link #MAX_WINDOW} for memory. An element's service time is learnt from each batch's
 * round trip, discounted by the batches it queued behind: with {@code b} batches out over {@code r}
 * routees, a batch waits for about {@code b / r - 1} others before its own turn.
 */
final class BatchSizing {

  /** Routee work one batch should carry: enough that its messages and wake-ups cost a few per cent of it. */
  static final long TARGET_BATCH_NANOS = 8_000_000;
  /** The largest batch formed by itself. */
  static final int MAX_BATCH = 4096;
  /** The most elements in flight by default, whatever the routees and the service time. */
  static final int MAX_WINDOW = 65_536;
  /**
   * The batch limit until the first batch has come back and told the element's service time: 1, so that
   * heavy elements of unknown cost never pile onto one routee (a few 5 MB chunks of text in one batch
   * would run one after the other while the other routees idle).
   */
  static final int FIRST_MAX_BATCH = 1;
  /** Weight of the newest round trip in the service-time average. */
  static final double ALPHA = 0.25;

  private final int fixedWindow;
  private final long targetNanos;
  private final int largestBatch;
  private final boolean windowed;
  private double elementNanos = Double.NaN;

  /** @param fixedWindow the window set by hand ({@code parallelism(n)}), or 0 to size it by itself */
  BatchSizing(int fixedWindow) {
    this(fixedWindow, TARGET_BATCH_NANOS, MAX_BATCH, true);
  }

  private BatchSizing(int fixedWindow, long targetNanos, int largestBatch, boolean windowed) {
    this.fixedWindow = fixedWindow;
    this.targetNanos = targetNanos;
    this.largestBatch = largestBatch;
    this.windowed = windowed;
  }

  /**
   * The sizing of a keyed aggregation's combining batches: larger ones, up to {@code largestBatch} elements
   * or {@code targetNanos} of work, since every key a batch holds costs a merge on its partition's routee
   * and a larger batch holds fewer keys per element. No window: a batch's elements are emitted as no more
   * than its partial results.
   */
  static BatchSizing forCombining(long targetNanos, int largestBatch) {
    return new BatchSizing(0, targetNanos, largestBatch, false);
  }

  /** Batches out at once before the next waits to grow: two per routee. */
  int batchesInFlight(int routees) {
    return 2 * Math.max(1, routees);
  }

  /** The largest batch to form now. */
  int maxBatch(int routees) {
    int byTime = byTime();
    if (!windowed) return byTime;
    if (fixedWindow == 0) return Math.min(byTime, Math.max(1, MAX_WINDOW / (batchesInFlight(routees) + 1)));
    return Math.min(byTime, Math.max(1, fixedWindow / batchesInFlight(routees)));
  }

  /** Elements taken in and not yet emitted, at most. */
  int window(int routees) {
    if (fixedWindow > 0) return fixedWindow;
    return (batchesInFlight(routees) + 1) * maxBatch(routees);
  }

  /**
   * A batch of {@code size} elements came back {@code roundTripNanos} after it left, when {@code
   * batchesOut} batches (itself included) were out over {@code routees} routees.
   */
  void completed(int size, long roundTripNanos, int batchesOut, int routees) {
    if (size <= 0 || roundTripNanos <= 0) return;
    double share = Math.min(1.0, Math.max(1, routees) / (double) Math.max(1, batchesOut));
    double sample = roundTripNanos * share / size;
    elementNanos = Double.isNaN(elementNanos) ? sample : elementNanos + ALPHA * (sample - elementNanos);
  }

  /** The learnt service time of one element, NaN before the first batch came back. */
  double elementNanos() {
    return elementNanos;
  }

  private int byTime() {
    if (Double.isNaN(elementNanos)) return FIRST_MAX_BATCH;
    double batch = Math.ceil(targetNanos / Math.max(1.0, elementNanos));
    return (int) Math.max(1, Math.min(largestBatch, batch));
  }
}
