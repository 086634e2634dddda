package io.pel.service.internal;

import io.pel.actors.ExecutionLayer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Whether this node can serve, decided from a {@link Snapshot} of the layer and of the cluster as the node
 * sees it: a pure function, so that each case is a unit test, and the snapshot is read afresh per request.
 *
 * <p>Not ready, in this order, when the node is shutting down (it takes no tasks); when it is not Up (still
 * joining, leaving, exiting, being downed, or removed); when it cannot reach a majority of the members that
 * count (Up or Leaving; one joining has no say yet, one exiting or downed no more): then the split-brain
 * resolver ({@code keep-majority}) is about to down it (on a tie, the side without the lowest address), and
 * what it accepted would be lost with it; when it serves jobs and the oldest of those members is unreachable, since the cluster's job
 * index and shard coordinator run there and no job can be submitted until it is downed and they move; when it
 * serves jobs and its job store did not answer its last check; and when it has no routees to run tasks on yet. The first four also stop the job routes at once ({@link
 * #toServeJobs}); only the routees do not, since a job waits for them.
 */
final class Readiness {

  private Readiness() {}

  /** A member as this node sees it. */
  record MemberView(String address, MemberStatus status, boolean reachable) {}

  /**
   * The layer and the cluster at one moment.
   *
   * @param members every member, oldest first
   * @param servesJobs whether this node serves the job routes
   * @param jobStoreProblem why the job store did not answer its last check ({@link JobStoreProbe}), if it did not
   */
  record Snapshot(boolean acceptingTasks, MemberStatus selfStatus, List<MemberView> members, int routees, boolean servesJobs,
      Optional<String> jobStoreProblem) {

    /** A snapshot of a node whose job store answered, or that has none. */
    Snapshot(boolean acceptingTasks, MemberStatus selfStatus, List<MemberView> members, int routees, boolean servesJobs) {
      this(acceptingTasks, selfStatus, members, routees, servesJobs, Optional.empty());
    }
  }

  /** The snapshot of {@code layer}'s node now; {@code store} is null when the node serves no jobs. */
  static Snapshot of(ExecutionLayer layer, JobStoreProbe store) {
    boolean servesJobs = store != null;
    Cluster cluster = Cluster.get(layer.system());
    ClusterEvent.CurrentClusterState state = cluster.state();
    Set<Member> unreachable = state.getUnreachable();
    List<Member> members = new ArrayList<>(StreamSupport.stream(state.getMembers().spliterator(), false).toList());
    members.sort(Member.ageOrdering());
    List<MemberView> views = members.stream()
        .map(m -> new MemberView(m.address().toString(), m.status(), !unreachable.contains(m))).toList();
    return new Snapshot(layer.isAcceptingTasks(), cluster.selfMember().status(), views, layer.stats().routees(), servesJobs,
        servesJobs ? store.problem() : Optional.empty());
  }

  /** Why the node cannot serve, or nothing when it is ready. */
  static Optional<String> toServe(Snapshot snapshot) {
    Optional<String> jobs = toServeJobs(snapshot);
    if (jobs.isPresent()) return jobs;
    if (snapshot.routees() == 0) return Optional.of("no routees to run tasks on yet");
    return Optional.empty();
  }

  /** Why the node cannot serve jobs (or anything), or nothing. */
  static Optional<String> toServeJobs(Snapshot snapshot) {
    if (!snapshot.acceptingTasks()) return Optional.of("the node is shutting down");
    MemberStatus self = snapshot.selfStatus();
    if (self == MemberStatus.down()) return Optional.of("the cluster is downing this node");
    if (self == MemberStatus.leaving() || self == MemberStatus.exiting()) return Optional.of("the node is leaving the cluster");
    if (self == MemberStatus.removed()) return Optional.of("the node is no member of a cluster: it has not joined one yet, or it has left");
    if (self != MemberStatus.up()) return Optional.of("the node is not Up in its cluster yet");
    List<MemberView> voting = snapshot.members().stream().filter(Readiness::votes).toList();
    List<String> unreachable = voting.stream().filter(m -> !m.reachable()).map(MemberView::address).toList();
    int reachable = voting.size() - unreachable.size();
    if (2 * reachable <= voting.size()) {
      return Optional.of("this node reaches " + reachable + " of the cluster's " + voting.size() + " members, not a majority (unreachable: "
          + String.join(", ", unreachable) + "); the split-brain resolver downs the minority");
    }
    if (snapshot.servesJobs() && snapshot.jobStoreProblem().isPresent()) {
      return Optional.of(snapshot.jobStoreProblem().get() + ": no job can be submitted or read");
    }
    if (snapshot.servesJobs() && !voting.isEmpty() && !voting.get(0).reachable()) {
      return Optional.of("the oldest member, " + voting.get(0).address() + ", is unreachable: the cluster's job index and shard "
          + "coordinator run there, so jobs wait until the cluster downs it and they move");
    }
    return Optional.empty();
  }

  private static boolean votes(MemberView member) {
    return member.status() == MemberStatus.up() || member.status() == MemberStatus.leaving();
  }
}
