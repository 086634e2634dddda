package io.pel.samples.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pel.actors.ExecutionLayer;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /v1/cluster}: the cluster as this node sees it, and this node's counters.
 *
 * <pre>{@code
 * {"self": "pekko://pel@127.0.0.1:25520",
 *  "members": [{"address": "pekko://pel@127.0.0.1:25520", "roles": ["worker"], "status": "Up", "reachable": true}],
 *  "stats": {"submitted": ..., "succeeded": ..., "routees": 8, "accepted": 0, ...},
 *  "streams": 0}
 * }</pre>
 *
 * {@code members} is Pekko's membership ({@link Cluster#state()}), statuses as Pekko names them, roles as
 * {@code PEL_ROLES} gave them; {@code reachable} is false for a member this node's failure detector finds
 * unreachable. {@code stats} is {@link io.pel.actors.LayerStats} (this node's counters since it started);
 * {@code streams} the streams it serves now.
 */
final class ClusterRoutes extends AllDirectives {

  /** Pekko gives every member a role naming its data center, {@code dc-default}: not one of the node's roles. */
  private static final String DATA_CENTER_ROLE = "dc-";

  private final ExecutionLayer layer;
  private final ObjectMapper json;
  private final StreamRoute streams;

  ClusterRoutes(ExecutionLayer layer, ObjectMapper json, StreamRoute streams) {
    this.layer = layer;
    this.json = json;
    this.streams = streams;
  }

  /** The route, to be placed under {@code /v1}. */
  Route route() {
    return path("cluster", () -> get(() -> complete(streams.jsonResponse(StatusCodes.OK, view()))));
  }

  ObjectNode view() {
    Cluster cluster = Cluster.get(layer.system());
    ClusterEvent.CurrentClusterState state = cluster.state();
    Set<Member> unreachable = StreamSupport.stream(state.getUnreachable().spliterator(), false).collect(Collectors.toSet());
    ObjectNode body = json.createObjectNode();
    body.put("self", cluster.selfMember().address().toString());
    ArrayNode members = body.putArray("members");
    for (Member member : state.getMembers()) {
      ObjectNode m = members.addObject();
      m.put("address", member.address().toString());
      ArrayNode roles = m.putArray("roles");
      new TreeSet<>(member.getRoles()).stream().filter(role -> !role.startsWith(DATA_CENTER_ROLE)).forEach(roles::add);
      m.put("status", member.status().toString());
      m.put("reachable", !unreachable.contains(member));
    }
    body.set("stats", json.valueToTree(layer.stats()));
    body.put("streams", streams.active());
    return body;
  }
}
