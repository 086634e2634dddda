package io.pel.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Free TCP ports on 127.0.0.1 for the nodes of a cluster.
 *
 * <p>The sockets of one reservation are all open at once, so the system hands out distinct ports. A port
 * still held by a cluster of this JVM is never handed out again until that cluster releases it (a node's
 * port stays its own across restarts); ports of other processes are not the testkit's to guard.
 */
public final class LoopbackPorts {

  private static final Set<Integer> HELD = new HashSet<>();

  private LoopbackPorts() {}

  /** Reserves {@code count} distinct free ports until {@link #release}. */
  public static synchronized List<Integer> reserve(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    try {
      InetAddress loopback = InetAddress.getByName("127.0.0.1");
      while (ports.size() < count) {
        ServerSocket socket = new ServerSocket(0, 1, loopback);
        sockets.add(socket);
        if (!HELD.contains(socket.getLocalPort())) ports.add(socket.getLocalPort());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find " + count + " free ports on 127.0.0.1", e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // the port is free again either way
        }
      }
    }
    HELD.addAll(ports);
    return List.copyOf(ports);
  }

  /** Lets later reservations hand out {@code ports} again. */
  public static synchronized void release(Collection<Integer> ports) {
    HELD.removeAll(ports);
  }
}
