package io.pel.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Network partitions between nodes on their own loopback addresses, made with packet filter rules: each
 * cluster gets an iptables chain of its own, jumped to from OUTPUT, holding one DROP rule per cut direction.
 * A rule names the sender by the group id its JVM runs with (each node gets one, {@link #commandPrefix})
 * and the receiver by its own address: on loopback every outgoing connection leaves from 127.0.0.1, so a
 * sender cannot be told by its source address. Dropping (not rejecting) is what a cut cable or a dead switch
 * does: open connections stall and the failure detectors decide. Needs iptables, setpriv and root (or
 * CAP_NET_ADMIN and CAP_SETGID); {@link #unavailable()} says why not where they are missing. Every chain is
 * removed when its cluster closes, and any left are removed when the test JVM exits.
 */
public final class PacketFilter implements AutoCloseable {

  private static final AtomicInteger NEXT = new AtomicInteger();
  private static final Set<PacketFilter> OPEN = ConcurrentHashMap.newKeySet();
  private static volatile Optional<String> unavailable;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(PacketFilter::close), "pel-testkit-packet-filter"));
  }

  private final String chain;
  /** The group id of node 1 of this cluster; node i runs with this + i - 1. */
  private final int firstGroup;
  private boolean created;

  public PacketFilter() {
    int seq = NEXT.incrementAndGet();
    long pid = ProcessHandle.current().pid();
    // iptables limits chain names to 28 characters.
    this.chain = "PELTK-" + pid + "-" + seq;
    // Far above the groups of a system's users, and apart for every cluster of every test JVM of a run.
    this.firstGroup = 1_000_000 + (int) (pid % 10_000) * 1_000 + (seq % 50) * 20;
  }

  /** The group id node {@code node} runs with, when partitions are possible. */
  public int group(int node) {
    return firstGroup + node - 1;
  }

  /**
   * What a node's command starts with so that its packets can be told apart: {@code setpriv} with the
   * node's own group id, or nothing where partitions are not possible.
   */
  public List<String> commandPrefix(int node) {
    if (unavailable().isPresent()) return List.of();
    return List.of("setpriv", "--regid=" + group(node), "--clear-groups", "--");
  }

  /** Why partitions cannot be made on this machine, or nothing if they can; found out once per JVM. */
  public static synchronized Optional<String> unavailable() {
    if (unavailable == null) unavailable = probe();
    return unavailable;
  }

  private static Optional<String> probe() {
    String chain = "PELTK-PROBE-" + ProcessHandle.current().pid();
    try {
      Result setpriv = command(List.of("setpriv", "--regid=" + (2_000_000 + ProcessHandle.current().pid() % 1000), "--clear-groups", "--", "true"));
      if (setpriv.code != 0) {
        return Optional.of("setpriv cannot give a node a group of its own (" + setpriv.output.strip() + "); partitions need root or CAP_SETGID");
      }
      Result created = run("-N", chain);
      if (created.code != 0) {
        return Optional.of("iptables cannot make a chain here (" + created.output.strip() + "); partitions need iptables and root or CAP_NET_ADMIN");
      }
      run("-X", chain);
      return Optional.empty();
    } catch (UncheckedIOException e) {
      return Optional.of("iptables or setpriv is not installed (" + e.getCause().getMessage() + "); partitions need them, with root");
    }
  }

  /** A node as the rules see it: the group it sends with and the address it receives on. */
  public record Endpoint(int node, String host) {}

  /** Drops every packet between each node of {@code side} and each of {@code other}, both ways. */
  public synchronized void cut(List<Endpoint> side, List<Endpoint> other) {
    ensureChain();
    for (Endpoint a : side) {
      for (Endpoint b : other) {
        drop(a, b);
        drop(b, a);
      }
    }
  }

  private void drop(Endpoint from, Endpoint to) {
    check(run("-A", chain, "-m", "owner", "--gid-owner", Integer.toString(group(from.node())), "-d", to.host(), "-j", "DROP"),
        "cut node " + from.node() + " from node " + to.node() + " (" + to.host() + ")");
  }

  /** Removes every cut this filter made. */
  public synchronized void heal() {
    if (created) check(run("-F", chain), "heal");
  }

  /** Removes the chain and its jump. Idempotent. */
  @Override
  public synchronized void close() {
    OPEN.remove(this);
    if (!created) return;
    created = false;
    run("-D", "OUTPUT", "-j", chain);
    run("-F", chain);
    run("-X", chain);
  }

  private void ensureChain() {
    if (created) return;
    unavailable().ifPresent(why -> {
      throw new IllegalStateException("cannot partition the network: " + why);
    });
    check(run("-N", chain), "create chain " + chain);
    created = true;
    OPEN.add(this);
    check(run("-I", "OUTPUT", "1", "-j", chain), "jump to chain " + chain);
  }

  private static void check(Result result, String what) {
    if (result.code != 0) throw new IllegalStateException("iptables could not " + what + ": " + result.output.strip());
  }

  private record Result(int code, String output) {}

  private static Result run(String... args) {
    List<String> command = new ArrayList<>(List.of("iptables", "-w"));
    command.addAll(List.of(args));
    return command(command);
  }

  private static Result command(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, String.join(" ", command) + " did not finish in 30 s");
      }
      return new Result(p.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }
}
