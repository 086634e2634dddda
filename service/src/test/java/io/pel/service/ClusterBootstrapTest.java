package io.pel.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.testkit.JvmCluster;
import io.pel.testkit.JvmClusterBuilder;
import io.pel.testkit.JvmNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes of the service ({@link NodeMain}, each in a JVM of its own) with no seed nodes form one cluster
 * through Cluster Bootstrap: {@code PEL_DISCOVERY=config} lists the three nodes' management endpoints, the same
 * bootstrap code path as {@code kubernetes-api}, which lists the pods instead. Each node waits for all three
 * contact points, the lowest forms the cluster and the others join it; then management's {@code /ready},
 * which includes PEL's readiness, answers 200 on every node.
 */
class ClusterBootstrapTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(45);
  private static final int NODES = 3;

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  @TempDir Path dataDir;

  @Test
  void threeNodesWithoutSeedNodesFormOneClusterThroughClusterBootstrap() throws Exception {
    List<Integer> management = freePorts(NODES);
    JvmClusterBuilder builder = JvmCluster.builder(NodeMain.class)
        .nodes(NODES)
        .withoutSeedNodes()
        .property("pel.workers-per-node", "1")
        // All three contact points are on 127.0.0.1: keep each, not only the one on this node's own port.
        .property("pekko.management.cluster.bootstrap.contact-point.filter-on-fallback-port", "false")
        .env("PEL_DISCOVERY", "config")
        .env("PEL_REQUIRED_CONTACT_POINTS", Integer.toString(NODES))
        .env("PEL_MANAGEMENT_HOST", "127.0.0.1")
        .env("PEL_HTTP_PORT", "0")
        .startTimeout(TIMEOUT);
    for (int i = 1; i <= NODES; i++) {
      String endpoint = "pekko.discovery.config.services.pel.endpoints." + (i - 1);
      builder.property(endpoint + ".host", "127.0.0.1").property(endpoint + ".port", management.get(i - 1).toString())
          .nodeEnv(i, "PEL_MANAGEMENT_PORT", management.get(i - 1).toString())
          .nodeEnv(i, "PEL_DATA_DIR", dataDir.resolve(Integer.toString(i)).toString());
    }
    try (JvmCluster cluster = builder.start()) {
      Set<String> addresses = new HashSet<>();
      for (JvmNode node : cluster.nodes()) addresses.add(node.address());
      for (JvmNode node : cluster.nodes()) {
        assertEquals(addresses, new HashSet<>(node.membersUp()), "node " + node.index() + " sees the one cluster");
        assertTrue(node.awaitLine("waiting for Cluster Bootstrap", TIMEOUT).contains("pel.node.discovery = config"));
        String url = "http://127.0.0.1:" + management.get(node.index() - 1) + "/";
        HttpResponse<String> ready = awaitStatus(url + "ready", 200);
        assertEquals(200, ready.statusCode(), "node " + node.index() + "'s management /ready: " + ready.body());
        assertEquals(200, get(url + "alive").statusCode());
      }
    }
  }

  private static List<Integer> freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) sockets.add(new ServerSocket(0));
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket socket : sockets) socket.close();
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /**
   * GETs {@code url} until it answers {@code status}, at most for {@link #TIMEOUT}: asked again every 100 ms,
   * since HTTP has no way to push it. A node is Up before its routees are registered cluster-wide.
   */
  private HttpResponse<String> awaitStatus(String url, int status) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      HttpResponse<String> response = get(url);
      if (response.statusCode() == status || System.nanoTime() > deadline) return response;
      Thread.sleep(100);
    }
  }
}
