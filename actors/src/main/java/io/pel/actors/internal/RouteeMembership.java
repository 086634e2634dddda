package io.pel.actors.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;

/**
 * Which routees the supervisor dispatches to: from the Receptionist's listings, the cluster's member
 * events and DeathWatch. Owned by the supervisor actor and called only from its handlers; what a change
 * means for tasks (re-dispatch, retire) is the {@link Listener}'s, the supervisor's.
 *
 * <p>A routee of this node is used at once; one of another node once that node is Up, as the member
 * events this actor received say (not {@code Cluster.state()}, which another actor updates from the same
 * events and may lag behind a listing). Listed and reachable: used. Listed but unreachable: lost, its
 * attempts go elsewhere. No longer listed: its node deregistered it while leaving, so it is retired and
 * what it runs is awaited. DeathWatch works per node address and may report the end of a node's old
 * incarnation for the routees of a new one at the same address, which the Receptionist would not list
 * again; so after a death the supervisor asks for the listing once more ({@link #resync}) and takes back
 * any routee that is alive.
 */
final class RouteeMembership {

  /** What the supervisor does when routees come and go. */
  interface Listener {
    /** {@code routee} may be dispatched to from now on. */
    void added(RouteeState routee);

    /** {@code routee} is gone: send its running and parked tasks elsewhere. */
    void lost(RouteeState routee, String why);

    /** {@code routee} gets nothing more; what it runs is still awaited. */
    void retired(RouteeState routee, String why);
  }

  private final ActorContext<WorkSupervisor.Command> context;
  private final RouteeTable routees;
  private final Listener listener;
  private final ActorRef<Receptionist.Listing> listings;
  private final Set<Address> upNodes = new HashSet<>();
  private final List<WorkSupervisor.AwaitRoutees> waiters = new ArrayList<>();

  RouteeMembership(ActorContext<WorkSupervisor.Command> context, RouteeTable routees, Listener listener,
      ActorRef<Receptionist.Listing> listings) {
    this.context = context;
    this.routees = routees;
    this.listener = listener;
    this.listings = listings;
  }

  /** A routee of this node or a listed one: used now if its node is Up (or it is local). */
  void add(ActorRef<Worker.Command> ref) {
    if (!ref.path().address().hasLocalScope() && !upNodes.contains(ref.path().address())) return;
    RouteeState routee = routees.add(ref, ref.path().toStringWithAddress(context.getSystem().address()));
    if (routee == null) return;
    context.watch(ref);
    context.getLog().debug("Routee {} joined; {} routees", routee.name, routees.active().size());
    changed();
    listener.added(routee);
  }

  /** The Receptionist's view of every routee changed. */
  void listed(Receptionist.Listing listing) {
    Set<ActorRef<Worker.Command>> reachable = listing.getServiceInstances(Worker.SERVICE_KEY);
    Set<ActorRef<Worker.Command>> all = listing.getAllServiceInstances(Worker.SERVICE_KEY);
    for (ActorRef<Worker.Command> ref : reachable) add(ref);
    for (RouteeState r : routees.all()) {
      if (r.local) continue;
      if (!all.contains(r.ref)) retire(r, "deregistered");
      else if (!reachable.contains(r.ref)) lose(r, "unreachable");
    }
  }

  /** A member's status changed; a node coming Up may make routees listed before usable, so look again. */
  void memberChanged(ClusterEvent.MemberEvent event) {
    Member member = event.member();
    if (member.status().equals(MemberStatus.up())) {
      upNodes.add(member.address());
      resync();
    } else if (!member.status().equals(MemberStatus.joining()) && !member.status().equals(MemberStatus.weaklyUp())) {
      upNodes.remove(member.address()); // leaving, exiting, down or removed: a new incarnation must come Up again
    }
  }

  /** DeathWatch says {@code ref} stopped; {@code true} if it was a routee of another node (then resync soon). */
  boolean terminated(ActorRef<Worker.Command> ref) {
    RouteeState routee = routees.get(ref);
    if (routee == null) return false;
    lose(routee, "stopped");
    return !routee.local;
  }

  /** Asks the Receptionist for the routees again; the answer comes as a listing. */
  void resync() {
    context.getSystem().receptionist().tell(Receptionist.find(Worker.SERVICE_KEY, listings));
  }

  /** Sends {@code routee} nothing more, awaiting what it runs. */
  void retire(RouteeState routee, String why) {
    if (!routees.retire(routee)) return;
    changed();
    listener.retired(routee, why);
  }

  /** Completes {@code await} as soon as the routee count satisfies it. */
  void await(WorkSupervisor.AwaitRoutees await) {
    waiters.add(await);
    changed();
  }

  private void lose(RouteeState routee, String why) {
    routees.remove(routee);
    changed();
    listener.lost(routee, why);
  }

  /** Completes the waiters whose condition the routee count now meets, and forgets abandoned ones. */
  private void changed() {
    if (waiters.isEmpty()) return;
    int count = routees.active().size();
    waiters.removeIf(await -> await.ready().isDone() || (await.condition().test(count) && await.ready().complete(count)));
  }
}
