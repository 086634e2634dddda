package io.pel.service.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.util.Version;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/** The members up that a node's membership lines count, event by event. */
class MembersUpTest {

  private static final Address SELF = new Address("pekko", "pel", "127.0.0.1", 25520);

  static Member member(int port, MemberStatus status) {
    return new Member(new UniqueAddress(new Address("pekko", "pel", "127.0.0.1", port), port), 1, status,
        CollectionConverters.asScala(Set.of("worker", "dc-default")).toSet(), Version.Zero());
  }

  private final MembersUp membersUp = new MembersUp();

  private String line(ClusterEvent.MemberEvent event) {
    return membersUp.changed(event).map(change -> NodeReporter.membershipLine(change, event.member(), SELF, membersUp.count())).orElse(null);
  }

  private void threeUp() {
    for (int port : new int[] {25520, 25521, 25522}) membersUp.changed(new ClusterEvent.MemberUp(member(port, MemberStatus.up())));
  }

  @Test
  void aDownedMemberIsNotCountedInItsOwnLine() {
    threeUp();
    assertEquals("member downed: pekko://pel@127.0.0.1:25522 [worker]; 2 members up",
        line(new ClusterEvent.MemberDowned(member(25522, MemberStatus.down()))));
    assertEquals("member removed: pekko://pel@127.0.0.1:25522 [worker]; 2 members up",
        line(new ClusterEvent.MemberRemoved(member(25522, MemberStatus.removed()), MemberStatus.down())));
  }

  @Test
  void aLeavingMemberIsNotCountedAndItsExitIsNoSecondLine() {
    threeUp();
    assertEquals("member leaving: pekko://pel@127.0.0.1:25520 [worker] (this node); 2 members up",
        line(new ClusterEvent.MemberLeft(member(25520, MemberStatus.leaving()))));
    assertEquals(null, line(new ClusterEvent.MemberExited(member(25520, MemberStatus.exiting()))));
    assertEquals(2, membersUp.count());
  }

  @Test
  void anExitWithoutALeavingSeenIsALeavingLine() {
    threeUp();
    assertEquals("member leaving: pekko://pel@127.0.0.1:25521 [worker]; 2 members up",
        line(new ClusterEvent.MemberExited(member(25521, MemberStatus.exiting()))));
  }

  @Test
  void theSubscriptionsCurrentStateThenTheSameUpIsOneLine() {
    assertEquals(Optional.of("up"), membersUp.changed(new ClusterEvent.MemberUp(member(25520, MemberStatus.up()))));
    assertEquals(Optional.empty(), membersUp.changed(new ClusterEvent.MemberUp(member(25520, MemberStatus.up()))));
    assertEquals(Optional.empty(), membersUp.changed(new ClusterEvent.MemberJoined(member(25521, MemberStatus.joining()))));
    assertEquals(1, membersUp.count());
  }
}
