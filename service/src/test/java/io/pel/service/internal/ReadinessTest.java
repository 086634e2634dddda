package io.pel.service.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pel.service.internal.Readiness.MemberView;
import io.pel.service.internal.Readiness.Snapshot;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.cluster.MemberStatus;
import org.junit.jupiter.api.Test;

/** Readiness from snapshots of the layer and the cluster: each reason, and which of them stop the job routes. */
class ReadinessTest {

  private static final String A = "pekko://pel@127.0.0.1:25520";
  private static final String B = "pekko://pel@127.0.0.1:25521";
  private static final String C = "pekko://pel@127.0.0.1:25522";
  private static final String D = "pekko://pel@127.0.0.1:25523";

  private static MemberView up(String address) {
    return new MemberView(address, MemberStatus.up(), true);
  }

  private static MemberView unreachable(String address) {
    return new MemberView(address, MemberStatus.up(), false);
  }

  /** This node is the last of {@code members}, Up, with routees, serving jobs. */
  private static Snapshot cluster(MemberView... members) {
    return new Snapshot(true, MemberStatus.up(), List.of(members), 4, true);
  }

  @Test
  void aNodeUpWithRouteesInAWholeClusterIsReady() {
    assertEquals(Optional.empty(), Readiness.toServe(cluster(up(A), up(B), up(C))));
    assertEquals(Optional.empty(), Readiness.toServe(cluster(up(A))));
  }

  @Test
  void withTwoOfThreeUnreachableTheNodeIsNotReadyAndServesNoJobs() {
    Snapshot survivor = cluster(unreachable(A), unreachable(B), up(C));
    String reason = "this node reaches 1 of the cluster's 3 members, not a majority (unreachable: " + A + ", " + B
        + "); the split-brain resolver downs the minority";
    assertEquals(Optional.of(reason), Readiness.toServe(survivor));
    assertEquals(Optional.of(reason), Readiness.toServeJobs(survivor));
  }

  @Test
  void aJobStoreThatDoesNotAnswerStopsJobsAndReadinessButNotANodeWithoutJobs() {
    Snapshot whole = cluster(up(A), up(B), up(C));
    String problem = "the job store jdbc:h2:tcp://127.0.0.1:9092/pel-jobs does not answer: Connection refused";
    Snapshot storeDown = new Snapshot(true, MemberStatus.up(), whole.members(), 4, true, Optional.of(problem));
    assertEquals(Optional.of(problem + ": no job can be submitted or read"), Readiness.toServeJobs(storeDown));
    assertEquals(Readiness.toServeJobs(storeDown), Readiness.toServe(storeDown));
    Snapshot noJobs = new Snapshot(true, MemberStatus.up(), whole.members(), 4, false, Optional.of(problem));
    assertEquals(Optional.empty(), Readiness.toServe(noJobs), "a node without job routes does not depend on the store");
  }

  @Test
  void halfTheMembersIsNoMajority() {
    assertEquals(true, Readiness.toServe(cluster(up(A), up(B), unreachable(C), unreachable(D))).orElse("").contains("2 of the cluster's 4"));
  }

  @Test
  void aMajorityWithOneMemberLostIsReadyWhileTheOldestIsReachable() {
    assertEquals(Optional.empty(), Readiness.toServe(cluster(up(A), up(B), unreachable(C))));
  }

  @Test
  void whenTheOldestIsUnreachableJobsWaitAndANodeWithoutJobsIsStillReady() {
    Snapshot snapshot = cluster(unreachable(A), up(B), up(C));
    assertEquals(Optional.of("the oldest member, " + A + ", is unreachable: the cluster's job index and shard coordinator run there, "
        + "so jobs wait until the cluster downs it and they move"), Readiness.toServeJobs(snapshot));
    Snapshot noJobs = new Snapshot(true, MemberStatus.up(), snapshot.members(), 4, false);
    assertEquals(Optional.empty(), Readiness.toServe(noJobs));
  }

  @Test
  void membersJoiningExitingOrDownedHaveNoSay() {
    MemberView joining = new MemberView(A, MemberStatus.joining(), false);
    MemberView exiting = new MemberView(B, MemberStatus.exiting(), false);
    MemberView downed = new MemberView(D, MemberStatus.down(), false);
    assertEquals(Optional.empty(), Readiness.toServe(cluster(exiting, up(C), downed, joining)));
    MemberView leaving = new MemberView(B, MemberStatus.leaving(), false);
    assertEquals(true, Readiness.toServe(cluster(leaving, up(C))).orElse("").contains("reaches 1 of the cluster's 2"));
  }

  @Test
  void theNodesOwnStatusComesFirst() {
    List<MemberView> members = List.of(up(A), up(B), up(C));
    assertEquals(Optional.of("the cluster is downing this node"), Readiness.toServeJobs(new Snapshot(true, MemberStatus.down(), members, 4, true)));
    assertEquals(Optional.of("the node is leaving the cluster"), Readiness.toServe(new Snapshot(true, MemberStatus.leaving(), members, 4, true)));
    assertEquals(Optional.of("the node is leaving the cluster"), Readiness.toServe(new Snapshot(true, MemberStatus.exiting(), members, 4, true)));
    assertEquals(Optional.of("the node is no member of a cluster: it has not joined one yet, or it has left"), Readiness.toServe(new Snapshot(true, MemberStatus.removed(), members, 4, true)));
    assertEquals(Optional.of("the node is not Up in its cluster yet"), Readiness.toServe(new Snapshot(true, MemberStatus.joining(), members, 4, true)));
    assertEquals(Optional.of("the node is shutting down"), Readiness.toServe(new Snapshot(false, MemberStatus.up(), members, 4, true)));
  }

  @Test
  void noRouteesMakesTheNodeNotReadyButLetsJobsWaitForThem() {
    Snapshot snapshot = new Snapshot(true, MemberStatus.up(), List.of(up(A)), 0, true);
    assertEquals(Optional.of("no routees to run tasks on yet"), Readiness.toServe(snapshot));
    assertEquals(Optional.empty(), Readiness.toServeJobs(snapshot));
  }
}
