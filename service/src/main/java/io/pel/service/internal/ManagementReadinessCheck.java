package io.pel.service.internal;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * PEL's readiness as a Pekko Management readiness check ({@code
 * pekko.management.health-checks.readiness-checks.pel}, this module's reference.conf): management's {@code
 * /ready} answers 200 only when the service's {@code /health/ready} would. Not ready fails the check with the
 * reason, which management puts in its answer. Pekko constructs it with the node's actor system.
 */
public final class ManagementReadinessCheck implements Supplier<CompletionStage<Boolean>> {

  private final ServiceReadiness readiness;

  /** The check of {@code system}'s node. */
  public ManagementReadinessCheck(ActorSystem system) {
    this.readiness = ServiceReadiness.get(Adapter.toTyped(system));
  }

  @Override
  public CompletionStage<Boolean> get() {
    Optional<String> why = readiness.whyNotReady();
    return why.<CompletionStage<Boolean>>map(reason -> CompletableFuture.failedFuture(new IllegalStateException(reason)))
        .orElseGet(() -> CompletableFuture.completedFuture(true));
  }
}
