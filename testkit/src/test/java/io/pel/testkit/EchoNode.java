package io.pel.testkit;

import io.pel.cluster.PelNode;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;

/** A plain PEL node for the testkit's tests, with commands that show what the node sees. */
final class EchoNode {

  private EchoNode() {}

  public static void main(String[] args) {
    ActorSystem<Void> system = PelNode.start(Behaviors.empty(), PelNode.load());
    Cluster cluster = Cluster.get(system);
    NodeCommands.register("echo", text -> text);
    NodeCommands.register("fail", text -> {
      throw new IllegalStateException(text);
    });
    NodeCommands.register("members", text -> StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
        .filter(member -> member.status().equals(MemberStatus.up()))
        .map(member -> member.address().toString())
        .sorted()
        .collect(Collectors.joining(",")));
    NodeCommands.register("property", key -> System.getProperty(key, "<unset>"));
    NodeCommands.register("env", name -> System.getenv().getOrDefault(name, "<unset>"));
    NodeCommands.register("roles", text -> cluster.selfMember().getRoles().stream()
        .filter(role -> !role.startsWith("dc-"))
        .sorted()
        .collect(Collectors.joining(",")));
    NodeCommands.register("args", text -> String.join(" ", args));
    NodeCommands.register("down", address -> {
      cluster.manager().tell(new Down(AddressFromURIString.parse(address)));
      return "downing " + address;
    });
    NodeCommands.register("print", text -> {
      System.out.print(text);
      return "printed";
    });
    System.out.println("echo node ready");
  }
}
