package io.pel.testkit.internal;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Runs in a node and prints a {@code members} protocol line each time the set of members it sees Up
 * changes. It keeps its own view from the member events (rather than reading the cluster's state, which is
 * updated apart from the events and may lag them), so each line matches the events seen so far.
 */
final class MembershipReporter {

  /** The reporter's protocol. */
  sealed interface Command {}

  private record MemberChanged(ClusterEvent.MemberEvent event) implements Command {}

  private final PrintStream out;
  private final Map<UniqueAddress, Member> members = new HashMap<>();
  private String printed = "";

  private MembershipReporter(PrintStream out) {
    this.out = out;
  }

  /** A reporter printing to {@code out}; it subscribes to member events when it starts. */
  static Behavior<Command> create(PrintStream out) {
    return Behaviors.setup(context -> new MembershipReporter(out).subscribe(context));
  }

  private Behavior<Command> subscribe(ActorContext<Command> context) {
    var adapter = context.messageAdapter(ClusterEvent.MemberEvent.class, MemberChanged::new);
    Cluster.get(context.getSystem()).subscriptions().tell(Subscribe.create(adapter, ClusterEvent.MemberEvent.class));
    return Behaviors.receive(Command.class).onMessage(MemberChanged.class, this::onMemberChanged).build();
  }

  private Behavior<Command> onMemberChanged(MemberChanged changed) {
    Member member = changed.event().member();
    if (changed.event() instanceof ClusterEvent.MemberRemoved) {
      members.remove(member.uniqueAddress());
    } else {
      members.put(member.uniqueAddress(), member);
    }
    var up = members.values().stream()
        .filter(m -> m.status().equals(MemberStatus.up()))
        .map(m -> Protocol.memberId(m.address().toString(), m.uniqueAddress().longUid()))
        .sorted(Comparator.naturalOrder())
        .toList();
    String line = up.size() + " " + up.stream().collect(Collectors.joining(","));
    if (!line.equals(printed)) {
      printed = line;
      Protocol.print(out, "members", line);
    }
    return Behaviors.same();
  }
}
