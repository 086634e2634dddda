package io.pel.service.internal;

import io.pel.actors.LayerStats;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Prints a node's life on its console, one line each: every membership change the node sees (a member
 * up, leaving, downed, removed, unreachable or reachable again) with the number of members up after it
 * ({@link MembersUp}: a member leaving, downed or removed is no longer counted), and, every interval, what
 * the node did since its last status line, if anything changed.
 *
 * <p>Subscribed to the cluster's membership events, which arrive first as the current state (one "up"
 * per member already up). Its counts come from {@link LayerStats}, read on its own thread. Public for
 * {@link io.pel.service.NodeMain}, which starts it.
 */
public final class NodeReporter {

  /** The reporter's protocol: adapted cluster events and its timer. */
  public sealed interface Command {}

  private record MemberChanged(ClusterEvent.MemberEvent event) implements Command {}

  private record ReachabilityChanged(ClusterEvent.ReachabilityEvent event) implements Command {}

  private enum ReportStatus implements Command { INSTANCE }

  private final Supplier<LayerStats> stats;
  private final PrintStream out;
  private final Address self;
  private final MembersUp membersUp = new MembersUp();
  private LayerStats lastReported;

  private NodeReporter(Supplier<LayerStats> stats, PrintStream out, Address self) {
    this.stats = stats;
    this.out = out;
    this.self = self;
    this.lastReported = stats.get();
  }

  /** A reporter printing to {@code out}, with a status line at most every {@code interval}. */
  public static Behavior<Command> create(Supplier<LayerStats> stats, Duration interval, PrintStream out) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      Cluster cluster = Cluster.get(ctx.getSystem());
      cluster.subscriptions().tell(Subscribe.create(
          ctx.messageAdapter(ClusterEvent.MemberEvent.class, MemberChanged::new), ClusterEvent.MemberEvent.class));
      cluster.subscriptions().tell(Subscribe.create(
          ctx.messageAdapter(ClusterEvent.ReachabilityEvent.class, ReachabilityChanged::new), ClusterEvent.ReachabilityEvent.class));
      timers.startTimerWithFixedDelay(ReportStatus.INSTANCE, interval);
      return new NodeReporter(stats, out, cluster.selfMember().address()).behavior();
    }));
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(MemberChanged.class, changed -> onMemberChanged(changed.event()))
        .onMessage(ReachabilityChanged.class, changed -> onReachabilityChanged(changed.event()))
        .onMessageEquals(ReportStatus.INSTANCE, this::onReportStatus)
        .build();
  }

  private Behavior<Command> onMemberChanged(ClusterEvent.MemberEvent event) {
    membersUp.changed(event).ifPresent(change -> out.println(membershipLine(change, event.member(), self, membersUp.count())));
    return Behaviors.same();
  }

  private Behavior<Command> onReachabilityChanged(ClusterEvent.ReachabilityEvent event) {
    String change = event instanceof ClusterEvent.UnreachableMember ? "unreachable" : "reachable again";
    out.println(membershipLine(change, event.member(), self, membersUp.count()));
    return Behaviors.same();
  }

  private Behavior<Command> onReportStatus() {
    LayerStats now = stats.get();
    statusLine(lastReported, now).ifPresent(out::println);
    lastReported = now;
    return Behaviors.same();
  }

  /** {@code "member up: pekko://pel@host:port [worker] (this node); 3 members up"}. */
  static String membershipLine(String change, Member member, Address self, int membersUp) {
    Set<String> roles = new TreeSet<>(member.getRoles());
    roles.removeIf(role -> role.startsWith("dc-")); // Pekko's data-centre role, the same on every node here
    return "member " + change + ": " + member.address() + " " + roles + (member.address().equals(self) ? " (this node)" : "")
        + "; " + membersUp + (membersUp == 1 ? " member up" : " members up");
  }

  /** The status line from {@code last} to {@code now}, or nothing when no counter changed. */
  static Optional<String> statusLine(LayerStats last, LayerStats now) {
    if (now.equals(last)) return Optional.empty();
    return Optional.of(String.format(Locale.ROOT,
        "status: routees here ran %,d attempts since the last status (%,d in all); tasks accepted here %,d "
            + "(%,d succeeded, %,d failed, %,d in flight); %,d re-dispatched; %,d routees in the cluster",
        now.attemptsRun() - last.attemptsRun(), now.attemptsRun(), now.submitted(), now.succeeded(), now.failed(),
        now.accepted(), now.redispatched(), now.routees()));
  }

  /** Every counter of {@code stats}, for the line a node prints when it stops. */
  public static String totals(LayerStats stats) {
    return String.format(Locale.ROOT,
        "routees here ran %,d attempts; tasks accepted here %,d (%,d succeeded, %,d failed, %,d rejected, %,d cancelled); "
            + "%,d retries, %,d timeouts, %,d re-dispatched, %,d duplicate results dropped, %,d routee restarts",
        stats.attemptsRun(), stats.submitted(), stats.succeeded(), stats.failed(), stats.rejected(), stats.cancelled(),
        stats.retries(), stats.timeouts(), stats.redispatched(), stats.duplicatesDropped(), stats.routeeRestarts());
  }
}
