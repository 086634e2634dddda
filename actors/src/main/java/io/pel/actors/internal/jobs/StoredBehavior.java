package io.pel.actors.internal.jobs;

import java.time.Duration;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * An event-sourced actor of the job store: journals and snapshots through the store's plugins, and
 * restarts with backoff (1 s to 30 s) when the store fails, rather than stop.
 */
abstract class StoredBehavior<C, E, S> extends EventSourcedBehavior<C, E, S> {

  StoredBehavior(PersistenceId persistenceId) {
    super(persistenceId, SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
  }

  @Override
  public final String journalPluginId() {
    return JobStore.JOURNAL_PLUGIN;
  }

  @Override
  public final String snapshotPluginId() {
    return JobStore.SNAPSHOT_PLUGIN;
  }
}
