package io.pel.actors.internal.jobs;

import io.pel.cluster.PelSerializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The cluster's list of jobs not yet compacted, event-sourced into the job store and run as a cluster
 * singleton. Every {@code pel.jobs.keep-alive-interval} it wakes each unfinished job through sharding: a
 * job whose node died is thereby started again on a live one (its shard having moved), and one that
 * recovers after a whole-cluster restart resumes. It tells each finished job to compact once {@code
 * pel.jobs.retention} has passed, then forgets it. Its state is bounded by the jobs running plus those
 * finished within the retention.
 */
public final class JobIndex extends StoredBehavior<JobIndex.Command, JobIndex.Event, Map<String, JobIndex.Entry>> {

  /** The index's persistence id: one per cluster. */
  static final String PERSISTENCE_ID = "pel-job-index";
  /** A job registered and never accepted is forgotten once its registration is this old. */
  static final Duration ABANDONED_AFTER = Duration.ofMinutes(2);

  public sealed interface Command {}

  /** A coordinator registers its job before accepting it. */
  public record Register(String jobId, ActorRef<Registered> replyTo) implements Command, PelSerializable {}

  public record Registered(String jobId) implements PelSerializable {}

  /** The job completed or was cancelled at {@code at} (epoch millis). */
  public record Finished(String jobId, long at) implements Command, PelSerializable {}

  /** The job is compacted; the index lets it go. */
  public record Forget(String jobId) implements Command, PelSerializable {}

  /** A woken coordinator has no job: its submission never got as far as the journal. */
  public record NotAccepted(String jobId) implements Command, PelSerializable {}

  private enum Tick implements Command, NoSerializationVerificationNeeded { INSTANCE }

  public sealed interface Event extends PelSerializable {}

  public record Opened(String jobId, long at) implements Event {}

  public record Closed(String jobId, long at) implements Event {}

  public record Forgotten(String jobId) implements Event {}

  /** A job in the index: unfinished since {@code at}, or finished at {@code at}. */
  public record Entry(boolean finished, long at) implements PelSerializable {}

  /** The index as a snapshot stores it (never sent between nodes). */
  public record Snapshot(Map<String, Entry> jobs) {}

  private final JobSettings settings;
  private final ClusterSharding sharding;
  private final ActorContext<Command> ctx;

  private JobIndex(ActorContext<Command> ctx, JobSettings settings, ClusterSharding sharding) {
    super(PersistenceId.ofUniqueId(PERSISTENCE_ID));
    this.ctx = ctx;
    this.settings = settings;
    this.sharding = sharding;
  }

  /** The index, to run as a cluster singleton. */
  public static Behavior<Command> create(JobSettings settings, ClusterSharding sharding) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.keepAlive());
      return new JobIndex(ctx, settings, sharding);
    }));
  }

  @Override
  public Map<String, Entry> emptyState() {
    return new HashMap<>();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(200, 2).withDeleteEventsOnSnapshot();
  }

  @Override
  public SnapshotAdapter<Map<String, Entry>> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(Map<String, Entry> state) {
        return new Snapshot(new HashMap<>(state));
      }

      @Override
      public Map<String, Entry> fromJournal(Object from) {
        return new HashMap<>(((Snapshot) from).jobs());
      }
    };
  }

  @Override
  public CommandHandler<Command, Event, Map<String, Entry>> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Register.class, this::onRegister)
        .onCommand(Finished.class, this::onFinished)
        .onCommand(Forget.class, (jobs, forget) -> forget(jobs, forget.jobId()))
        .onCommand(NotAccepted.class, this::onNotAccepted)
        .onCommand(Tick.class, this::onTick)
        .build();
  }

  @Override
  public EventHandler<Map<String, Entry>, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Opened.class, (jobs, e) -> put(jobs, e.jobId(), new Entry(false, e.at())))
        .onEvent(Closed.class, (jobs, e) -> put(jobs, e.jobId(), new Entry(true, e.at())))
        .onEvent(Forgotten.class, (jobs, e) -> {
          jobs.remove(e.jobId());
          return jobs;
        })
        .build();
  }

  @Override
  public SignalHandler<Map<String, Entry>> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), jobs -> {
          long open = jobs.values().stream().filter(e -> !e.finished()).count();
          ctx.getLog().info("Job index up: {} unfinished jobs to keep running, {} finished awaiting compaction", open, jobs.size() - open);
          onTick(jobs, Tick.INSTANCE);
        })
        .build();
  }

  private Effect<Event, Map<String, Entry>> onRegister(Map<String, Entry> jobs, Register register) {
    if (jobs.containsKey(register.jobId())) return Effect().reply(register.replyTo(), new Registered(register.jobId()));
    return Effect().persist(new Opened(register.jobId(), System.currentTimeMillis()))
        .thenReply(register.replyTo(), after -> new Registered(register.jobId()));
  }

  private Effect<Event, Map<String, Entry>> onFinished(Map<String, Entry> jobs, Finished finished) {
    Entry entry = jobs.get(finished.jobId());
    if (entry != null && entry.finished()) return Effect().none();
    return Effect().persist(new Closed(finished.jobId(), finished.at()));
  }

  private Effect<Event, Map<String, Entry>> onNotAccepted(Map<String, Entry> jobs, NotAccepted notAccepted) {
    Entry entry = jobs.get(notAccepted.jobId());
    boolean abandoned = entry != null && !entry.finished() && System.currentTimeMillis() - entry.at() > ABANDONED_AFTER.toMillis();
    return abandoned ? forget(jobs, notAccepted.jobId()) : Effect().none();
  }

  private Effect<Event, Map<String, Entry>> forget(Map<String, Entry> jobs, String jobId) {
    return jobs.containsKey(jobId) ? Effect().persist(new Forgotten(jobId)) : Effect().none();
  }

  private Effect<Event, Map<String, Entry>> onTick(Map<String, Entry> jobs, Tick tick) {
    long now = System.currentTimeMillis();
    long retention = settings.retention().toMillis();
    jobs.forEach((jobId, entry) -> {
      var coordinator = sharding.entityRefFor(JobCoordinator.KEY, jobId);
      if (!entry.finished()) coordinator.tell(new JobCoordinator.Wake(ctx.getSelf()));
      else if (now - entry.at() >= retention) coordinator.tell(new JobCoordinator.Compact(ctx.getSelf()));
    });
    return Effect().none();
  }

  private static Map<String, Entry> put(Map<String, Entry> jobs, String jobId, Entry entry) {
    jobs.put(jobId, entry);
    return jobs;
  }
}
