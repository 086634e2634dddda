package io.pel.service.internal;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Where the node's service leaves its readiness for code that only has the actor system: Pekko Management's
 * health checks, which Pekko constructs itself with the system ({@link ManagementReadinessCheck}). The service
 * sets it once it listens ({@link io.pel.service.HttpService#start}); until then the node is not ready. Any
 * thread may read or set it.
 */
public final class ServiceReadiness implements Extension {

  private static final Supplier<Optional<String>> NOT_STARTED = () -> Optional.of("the PEL service has not started on this node yet");

  /** The extension's id, one instance per actor system. */
  public static final ExtensionId<ServiceReadiness> ID = new ExtensionId<>() {
    @Override
    public ServiceReadiness createExtension(ActorSystem<?> system) {
      return new ServiceReadiness();
    }
  };

  private volatile Supplier<Optional<String>> whyNotReady = NOT_STARTED;

  private ServiceReadiness() {}

  /** The extension of {@code system}. */
  public static ServiceReadiness get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  /** From now on the node's readiness is {@code whyNotReady}'s answer, asked afresh each time. */
  public void serve(Supplier<Optional<String>> whyNotReady) {
    this.whyNotReady = Objects.requireNonNull(whyNotReady, "whyNotReady");
  }

  /** Why the node cannot serve now, or nothing when it is ready. */
  public Optional<String> whyNotReady() {
    return whyNotReady.get();
  }
}
