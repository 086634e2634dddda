package io.pel.service.internal;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.UniqueAddress;

/**
 * The members up as {@link NodeReporter}'s membership events tell it, owned by the reporter (one thread). A
 * member counts from its up (or weakly up) event until it leaves, exits, is downed or is removed, whichever
 * comes first: a member on its way out serves no more, so a line about its downing does not count it. An
 * unreachable member still counts: it is up until the cluster downs it.
 */
final class MembersUp {

  private final Set<UniqueAddress> up = new HashSet<>();

  /**
   * Takes in {@code event} and names the change for a line ({@code "up"}, {@code "weakly up"}, {@code
   * "leaving"}, {@code "downed"}, {@code "removed"}), or nothing when it is not worth one: a repeated up (the
   * subscription's current state, then the event), or a step on the way to one of those (joined, exited).
   */
  Optional<String> changed(ClusterEvent.MemberEvent event) {
    UniqueAddress member = event.member().uniqueAddress();
    if (event instanceof ClusterEvent.MemberUp || event instanceof ClusterEvent.MemberWeaklyUp) {
      if (!up.add(member)) return Optional.empty();
      return Optional.of(event instanceof ClusterEvent.MemberUp ? "up" : "weakly up");
    }
    boolean wasUp = up.remove(member);
    if (event instanceof ClusterEvent.MemberLeft) return Optional.of("leaving");
    if (event instanceof ClusterEvent.MemberDowned) return Optional.of("downed");
    if (event instanceof ClusterEvent.MemberRemoved) return Optional.of("removed");
    // Exited follows leaving; a member that exits without a leaving event seen here is worth its line.
    if (event instanceof ClusterEvent.MemberExited && wasUp) return Optional.of("leaving");
    return Optional.empty();
  }

  /** How many members are up now. */
  int count() {
    return up.size();
  }
}
