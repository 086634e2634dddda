package io.pel.service.internal;

import io.pel.actors.NodeLoad;
import io.pel.cluster.PelSerializable;
import io.pel.cluster.PelSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Shares every node's load with the others and turns the cluster's into the cluster-size signal. Every
 * {@code pel.autoscale.sample-interval} each node takes a reading of its own load, writes its last window
 * into a replicated map (Pekko Distributed Data, written locally and spread by gossip), and recommends a
 * node count ({@link ScaleAdvisor}) from the reports of the worker members Up now, ignoring any older than
 * {@link #STALE_INTERVALS} intervals (a node that stopped reporting). What it computes is read by {@code /metrics} and {@code
 * /v1/cluster}.
 */
final class LoadGossip {

  /** One node's last minute, as it reported it. */
  record Report(String node, double busyFraction, double completedPerSecond, double trueRatePerSecond, int routees, long waiting,
      long atMillis) implements PelSerializable {}

  /** The cluster's load and the recommendation, as of the last tick. */
  record Signal(ScaleAdvisor.Load load, double utilisation, int recommendedNodes) {}

  /** A report older than this many intervals is a node that stopped reporting. */
  static final int STALE_INTERVALS = 6;

  private static final Key<LWWMap<String, Report>> KEY = LWWMapKey.create("pel-load");

  private sealed interface Command permits Tick, Changed, Updated {}

  private enum Tick implements Command { INSTANCE }

  private record Changed(Replicator.SubscribeResponse<LWWMap<String, Report>> response) implements Command {}

  private record Updated(Replicator.UpdateResponse<LWWMap<String, Report>> response) implements Command {}

  private static final java.util.concurrent.atomic.AtomicInteger STARTED = new java.util.concurrent.atomic.AtomicInteger();
  private volatile Signal signal;

  private LoadGossip() {}

  /** Starts sharing on {@code system}; the signal is read through the returned object. */
  static LoadGossip start(ActorSystem<?> system, LoadMeter meter, ScaleAdvisor advisor, LongSupplier clock, Duration interval) {
    LoadGossip gossip = new LoadGossip();
    // A node may serve more than one HttpService (tests do): each has its own, writing the same entry.
    system.systemActorOf(gossip.behavior(meter, advisor, clock, interval), "pel-load-gossip-" + STARTED.incrementAndGet(), Props.empty());
    return gossip;
  }

  /** The last signal, or null before the first tick with a window. */
  Signal signal() {
    return signal;
  }

  private Behavior<Command> behavior(LoadMeter meter, ScaleAdvisor advisor, LongSupplier clock, Duration interval) {
    long staleMillis = interval.toMillis() * STALE_INTERVALS;
    return Behaviors.setup(ctx -> DistributedData.withReplicatorMessageAdapter(
        (ReplicatorMessageAdapter<Command, LWWMap<String, Report>> replicator) -> Behaviors.withTimers(timers -> {
          SelfUniqueAddress self = DistributedData.get(ctx.getSystem()).selfUniqueAddress();
          Cluster cluster = Cluster.get(ctx.getSystem());
          String node = cluster.selfMember().address().toString();
          replicator.subscribe(KEY, Changed::new);
          timers.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ZERO, interval);
          AtomicReference<Map<String, Report>> latest = new AtomicReference<>(Map.of());
          return Behaviors.receive(Command.class)
              .onMessage(Tick.class, tick -> {
                meter.sample();
                meter.window().ifPresent(w -> {
                  Report mine = new Report(node, w.busyFraction(), w.completedPerSecond(), w.trueRatePerSecond(), w.routees(), w.waiting(),
                      System.currentTimeMillis());
                  replicator.askUpdate(replyTo -> new Replicator.Update<>(KEY, LWWMap.empty(), Replicator.writeLocal(), replyTo,
                      map -> map.put(self, node, mine)), Updated::new);
                  Map<String, Report> reports = new HashMap<>(latest.get());
                  reports.put(node, mine);
                  List<String> workers = workersUp(cluster);
                  ScaleAdvisor.Load load = aggregate(reports, workers, System.currentTimeMillis() - staleMillis);
                  signal = new Signal(load, utilisation(reports, workers, System.currentTimeMillis() - staleMillis),
                      advisor.recommend(clock.getAsLong(), load));
                });
                return Behaviors.same();
              })
              .onMessage(Changed.class, changed -> {
                if (changed.response() instanceof Replicator.Changed<LWWMap<String, Report>> c) latest.set(c.get(KEY).getEntries());
                return Behaviors.same();
              })
              .onMessage(Updated.class, updated -> Behaviors.same())
              .build();
        })));
  }

  private static List<String> workersUp(Cluster cluster) {
    List<String> workers = new ArrayList<>();
    for (Member m : cluster.state().getMembers()) {
      if (m.status() == MemberStatus.up() && m.hasRole(PelSettings.WORKER_ROLE)) workers.add(m.address().toString());
    }
    return workers;
  }

  /** The cluster's load from the fresh reports of the worker members Up. */
  static ScaleAdvisor.Load aggregate(Map<String, Report> reports, List<String> workersUp, long freshSinceMillis) {
    double completed = 0;
    double trueRate = 0;
    int busy = 0;
    long waiting = 0;
    for (Report r : reports.values()) {
      if (!workersUp.contains(r.node()) || r.atMillis() < freshSinceMillis) continue;
      completed += r.completedPerSecond();
      waiting += r.waiting();
      if (r.trueRatePerSecond() > 0) {
        trueRate += r.trueRatePerSecond();
        busy++;
      }
    }
    return new ScaleAdvisor.Load(workersUp.size(), completed, trueRate, busy, waiting);
  }

  /** The worker routees' busy fraction over the cluster, weighted by routees; NaN without a fresh report. */
  static double utilisation(Map<String, Report> reports, List<String> workersUp, long freshSinceMillis) {
    double busy = 0;
    int routees = 0;
    for (Report r : reports.values()) {
      if (!workersUp.contains(r.node()) || r.atMillis() < freshSinceMillis) continue;
      busy += r.busyFraction() * r.routees();
      routees += r.routees();
    }
    return routees == 0 ? Double.NaN : busy / routees;
  }
}
