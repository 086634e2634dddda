package io.pel.service.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pel.actors.BlockingPoolStats;
import io.pel.actors.LayerStats;
import io.pel.actors.NodeLoad;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * What {@code GET /metrics} serves, through Micrometer's Prometheus registry: the node's {@link LayerStats}
 * as function counters and gauges (read at each scrape), and what the service measures itself, per task type
 * served over HTTP: the latency of each stream task from its line entering the stream's task stage to its
 * outcome, batching included ({@code pel_stream_task_seconds}, a histogram) and the stream lines answered ({@code pel_stream_lines_total}, {@code outcome} ok or error).
 *
 * <p>Micrometer holds a function meter's state object weakly, so this object keeps the suppliers in fields:
 * a method reference such as {@code layer::stats} held by nothing else is collected and its meters read NaN.
 */
final class ServiceMetrics {

  /** The Prometheus text format's content type, as {@link #scrape()} writes it (Pekko HTTP sends the charset as UTF-8). */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ConcurrentMap<String, TypeMeters> byType = new ConcurrentHashMap<>();
  private final Supplier<LayerStats> stats;
  private final IntSupplier activeStreams;
  private final Supplier<NodeLoad> load;
  private final LoadMeter meter;
  private final Supplier<LoadGossip.Signal> signal;
  /** Held here: a gauge keeps only a weak reference to what it reads. */
  private final Supplier<BlockingPoolStats> blocking;

  /**
   * @param stats the node's counters, read at each scrape
   * @param activeStreams streams the service serves now
   */
  public ServiceMetrics(Supplier<LayerStats> stats, IntSupplier activeStreams) {
    this(stats, activeStreams, null, null, () -> null, null);
  }

  /**
   * The same, with the node's load: its counters ({@code load}, read at each scrape), the gauges of the last
   * minute ({@code meter}), the cluster-size signal ({@code signal}, null until its first reading) and the
   * blocking pool ({@code blocking}).
   */
  ServiceMetrics(Supplier<LayerStats> stats, IntSupplier activeStreams, Supplier<NodeLoad> load, LoadMeter meter,
      Supplier<LoadGossip.Signal> signal, Supplier<BlockingPoolStats> blocking) {
    this.stats = stats;
    this.activeStreams = activeStreams;
    this.load = load;
    this.meter = meter;
    this.signal = signal;
    this.blocking = blocking;
    Gauge.builder("pel.recommended.nodes", signal, s -> s.get() == null ? Double.NaN : s.get().recommendedNodes())
        .description("Worker nodes the cluster should have for its load (pel.autoscale): what an autoscaler scales on").register(registry);
    Gauge.builder("pel.cluster.utilisation", signal, s -> s.get() == null ? Double.NaN : s.get().utilisation())
        .description("The worker routees' busy fraction over the cluster, last minute, 0 to 1").register(registry);
    Gauge.builder("pel.cluster.waiting", signal, s -> s.get() == null ? Double.NaN : s.get().load().waiting())
        .description("Tasks waiting for a routee, over the cluster").register(registry);
    if (load != null) {
      FunctionCounter.builder("pel.routee.busy", load, l -> l.get().busyNanos() / 1e9).baseUnit("seconds")
          .description("Time this node's routees spent running attempts, summed over routees").register(registry);
      FunctionCounter.builder("pel.attempts.completed", load, l -> l.get().completed())
          .description("Attempts this node's routees answered").register(registry);
      Gauge.builder("pel.routees.local", load, l -> l.get().routees()).description("This node's own routees").register(registry);
      Gauge.builder("pel.tasks.waiting", load, l -> l.get().waiting())
          .description("Tasks waiting at this node's supervisor for a routee with room").register(registry);
    }
    if (meter != null) {
      Gauge.builder("pel.routee.utilisation", meter, m -> m.window().map(NodeLoad.Window::busyFraction).orElse(Double.NaN))
          .description("This node's routees' busy fraction over pel.autoscale.load-window (a minute), 0 to 1").register(registry);
      Gauge.builder("pel.attempts.completed.rate", meter, m -> m.window().map(NodeLoad.Window::completedPerSecond).orElse(Double.NaN))
          .description("Attempts this node's routees completed per second over pel.autoscale.load-window (a minute)").register(registry);
      Gauge.builder("pel.attempts.true.rate", meter, m -> m.window().map(NodeLoad.Window::trueRatePerSecond).orElse(Double.NaN))
          .description("Attempts per second this node's routees would complete if always busy: completed rate / busy fraction, "
              + "over pel.autoscale.load-window (a minute)").register(registry);
    }
    if (blocking != null) {
      Gauge.builder("pel.blocking.threads", blocking, b -> b.get().threads())
          .description("Threads of this node's blocking pool (pel.blocking-pool), which runs blocking task types").register(registry);
      Gauge.builder("pel.blocking.size", blocking, b -> b.get().target())
          .description("The threads the blocking pool may have, as it last sized itself").register(registry);
      Gauge.builder("pel.blocking.busy", blocking, b -> b.get().busy()).description("Blocking pool threads running an attempt").register(registry);
      Gauge.builder("pel.blocking.queued", blocking, b -> b.get().queued()).description("Attempts waiting for a blocking pool thread").register(registry);
      FunctionCounter.builder("pel.blocking.completed", blocking, b -> b.get().completed())
          .description("Attempts the blocking pool ran").register(registry);
    }
    counter(stats, "pel.tasks.submitted", "Tasks accepted by this node", LayerStats::submitted);
    counter(stats, "pel.tasks.succeeded", "Tasks completed with a result", LayerStats::succeeded);
    counter(stats, "pel.tasks.failed", "Tasks completed with a failure", LayerStats::failed);
    counter(stats, "pel.tasks.rejected", "Submissions refused because the node was overloaded", LayerStats::rejected);
    counter(stats, "pel.tasks.retries", "Attempts re-run after a failure or a timeout", LayerStats::retries);
    counter(stats, "pel.tasks.timeouts", "Attempts that ran past the task timeout", LayerStats::timeouts);
    counter(stats, "pel.tasks.redispatched", "Attempts sent elsewhere because their routee stopped", LayerStats::redispatched);
    counter(stats, "pel.tasks.cancelled", "Tasks cancelled by their caller", LayerStats::cancelled);
    counter(stats, "pel.routee.restarts", "Restarts of this node's routees by supervision", LayerStats::routeeRestarts);
    counter(stats, "pel.speculative.launches", "Speculative duplicates started for straggling attempts", LayerStats::speculativeLaunches);
    counter(stats, "pel.speculative.wins", "Tasks whose speculative duplicate answered first", LayerStats::speculativeWins);
    counter(stats, "pel.attempts.run", "Attempts this node's routees took in to run", LayerStats::attemptsRun);
    gauge(stats, "pel.tasks.in.flight", "Tasks accepted and not yet completed", LayerStats::accepted);
    gauge(stats, "pel.routees", "Routees this node's supervisor can dispatch to, cluster-wide", LayerStats::routees);
    Gauge.builder("pel.http.streams.active", activeStreams, IntSupplier::getAsInt).description("Streams the service serves now")
        .register(registry);
  }

  private void counter(Supplier<LayerStats> stats, String name, String help, ToDoubleFunction<LayerStats> value) {
    FunctionCounter.builder(name, stats, s -> value.applyAsDouble(s.get())).description(help).register(registry);
  }

  private void gauge(Supplier<LayerStats> stats, String name, String help, ToDoubleFunction<LayerStats> value) {
    Gauge.builder(name, stats, s -> value.applyAsDouble(s.get())).description(help).register(registry);
  }

  /** The meters of one task type served over HTTP, registered on first use. */
  TypeMeters forType(String type) {
    return byType.computeIfAbsent(type, TypeMeters::new);
  }

  /** Everything, in Prometheus' text format 0.0.4. */
  public String scrape() {
    return registry.scrape();
  }

  /** Per type served so far: {@code [tasks timed, their total seconds, the recent max seconds, lines ok, lines error]}. */
  Map<String, double[]> byType() {
    Map<String, double[]> out = new TreeMap<>();
    byType.forEach((type, m) -> out.put(type, new double[] {m.latency.count(), m.latency.totalTime(TimeUnit.SECONDS),
        m.latency.max(TimeUnit.SECONDS), m.ok.count(), m.error.count()}));
    return out;
  }

  /** One task type's meters. */
  final class TypeMeters {
    private final Timer latency;
    private final Counter ok;
    private final Counter error;

    private TypeMeters(String type) {
      latency = Timer.builder("pel.stream.task").tag("type", type).description("Stream tasks from entering the stream's task stage to their outcome")
          .publishPercentileHistogram().register(registry);
      ok = Counter.builder("pel.stream.lines").tag("type", type).tag("outcome", "ok").description("Stream lines answered")
          .register(registry);
      error = Counter.builder("pel.stream.lines").tag("type", type).tag("outcome", "error").description("Stream lines answered")
          .register(registry);
    }

    /** A line's task took {@code nanos} from the line entering the stream's task stage to its outcome, a result or not. */
    void taskTook(long nanos) {
      latency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A line was answered: with a result ({@code ok}) or an error line. */
    void line(boolean ok) {
      (ok ? this.ok : this.error).increment();
    }
  }
}
