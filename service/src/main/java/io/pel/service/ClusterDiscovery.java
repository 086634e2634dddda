package io.pel.service;

import io.pel.actors.ExecutionLayer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forms the cluster without seed nodes: on a node whose {@code pel.node.discovery} is not {@code none},
 * starts Pekko Management's HTTP endpoint ({@code pekko.management.http.hostname} and {@code port}: the
 * contact point other nodes probe, and the health checks {@code /ready} and {@code /alive}, the first of which
 * includes the service's readiness) and Cluster Bootstrap, which finds the other nodes through the discovery
 * method ({@code kubernetes-api} or {@code config}) and joins this node to them, or, once the {@code
 * required-contact-point-nr} have been found and none has formed a cluster, has the lowest of them form it.
 * {@link NodeMain} calls it after the service listens; a program that serves its own layer calls it likewise:
 *
 * <pre>{@code
 * HttpService service = HttpService.start(layer, types, layer.jobs(), http);
 * ClusterDiscovery.start(layer); // no-op unless PEL_DISCOVERY is set
 * }</pre>
 */
public final class ClusterDiscovery {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterDiscovery.class);
  private static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);

  private ClusterDiscovery() {}

  /**
   * Starts management and Cluster Bootstrap on {@code layer}'s node if its {@code pel.node.discovery} asks
   * for it.
   *
   * @return the management endpoint's URL, or empty when the node does not use discovery
   * @throws IllegalStateException naming the address if management cannot listen
   */
  public static Optional<String> start(ExecutionLayer layer) {
    ActorSystem system = Adapter.toClassic(layer.system());
    String discovery = system.settings().config().getString("pel.node.discovery");
    if (discovery.equals("none")) return Optional.empty();
    PekkoManagement management = PekkoManagement.get(system);
    String url;
    try {
      url = management.start().toCompletableFuture().get(BIND_TIMEOUT.toSeconds(), TimeUnit.SECONDS).toString();
    } catch (Exception e) {
      Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("Pekko Management cannot listen on " + management.settings().getHttpHostname() + ":"
          + management.settings().getHttpPort() + " (PEL_MANAGEMENT_HOST, PEL_MANAGEMENT_PORT): " + cause, cause);
    }
    ClusterBootstrap.get(system).start();
    LOG.info("PEL node joins its cluster through Cluster Bootstrap (discovery {}); management at {}", discovery, url);
    return Optional.of(url);
  }
}
