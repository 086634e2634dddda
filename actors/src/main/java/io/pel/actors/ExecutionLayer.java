package io.pel.actors;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.pel.actors.internal.Admission;
import io.pel.actors.internal.BlockingPool;
import io.pel.actors.internal.BlockingPoolSettings;
import io.pel.actors.internal.HandlerRegistry;
import io.pel.actors.internal.NodeGuardian;
import io.pel.actors.internal.NodeMetrics;
import io.pel.actors.internal.RetryPolicy;
import io.pel.actors.internal.TaskSubmitter;
import io.pel.actors.internal.WorkSupervisor;
import io.pel.actors.internal.Worker;
import io.pel.actors.internal.jobs.JobContext;
import io.pel.actors.internal.jobs.JobCoordinator;
import io.pel.actors.internal.jobs.JobIndex;
import io.pel.actors.internal.jobs.JobSettings;
import io.pel.actors.internal.jobs.JobStore;
import io.pel.actors.internal.jobs.JobValues;
import io.pel.cluster.PelNode;
import io.pel.cluster.PelSettings;
import io.pel.cluster.internal.NodeStop;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PEL embedded in an application: one node of an execution layer, started in-process.
 *
 * <p>{@link #start()} needs no configuration: the node binds to loopback on a free port, joins itself,
 * and runs one routee per core. Register a handler per {@link TaskType}, then {@link #submit} tasks; each
 * accepted task yields exactly one outcome on its stage: the handler's result, or a {@link
 * TaskFailedException} once the retry policy gives up. With seed nodes configured ({@code PEL_SEED_NODES}
 * or {@code pel.node.seed-nodes}) the same code forms a cluster and work spreads over every node.
 *
 * <p>Thread-safe. Stages returned by {@code submit} complete on threads of PEL's own, never on its
 * supervisor's: a continuation that blocks holds back neither PEL nor another task's completion (though
 * it holds a thread while it blocks; the {@code *Async} variants run it on an executor of yours).
 *
 * <pre>{@code
 * TaskType<String, Integer> length = TaskType.of("length", String.class, Integer.class);
 * try (ExecutionLayer layer = ExecutionLayer.start()) {
 *   layer.register(length, (text, ctx) -> text.length());
 *   int n = layer.submit(length, "hello").toCompletableFuture().join();
 * }
 * }</pre>
 */
public final class ExecutionLayer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ExecutionLayer.class);

  private final ActorSystem<Void> system;
  private final PelSettings settings;
  private final HandlerRegistry registry;
  private final TaskSubmitter submitter;
  private final Admission admission;
  private final NodeMetrics metrics;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ActorRef<WorkSupervisor.Command> supervisor;
  private final NodeStop stop;
  private final BlockingPool blocking; // null: no pool
  private final JobSettings jobSettings;
  private Jobs jobs; // started by the first jobs()

  private ExecutionLayer(Config nodeConfig) {
    this.jobSettings = JobSettings.fromConfig(nodeConfig);
    Config config = JobStore.pekkoConfig(jobSettings).withFallback(nodeConfig);
    this.settings = PelSettings.fromConfig(config);
    BlockingPoolSettings blockingSettings = BlockingPoolSettings.fromConfig(config);
    this.registry = new HandlerRegistry(blockingSettings.enabled());
    this.metrics = new NodeMetrics();
    this.admission = new Admission(settings.admissionLimit());
    this.submitter = new TaskSubmitter(registry, admission, metrics, new RetryPolicy(settings.retry()));
    this.blocking = blockingSettings.enabled() && settings.workersPerNode() > 0 ? new BlockingPool(blockingSettings, System.nanoTime()) : null;
    Worker.Environment environment = new Worker.Environment(registry, submitter, metrics, settings, blocking);
    CompletableFuture<ActorRef<WorkSupervisor.Command>> ready = new CompletableFuture<>();
    this.system = PelNode.start(NodeGuardian.create(settings, environment, admission, ready), config);
    this.stop = NodeStop.watch(system);
    if (blocking != null) {
      Duration every = blockingSettings.sampleInterval();
      system.scheduler().scheduleAtFixedRate(every, every, () -> {
        NodeLoad routees = metrics.load(System.nanoTime());
        blocking.tick(routees.nanos(), routees.completed(), routees.busyNanos(), routees.routees());
      }, system.executionContext());
      // The routees' drain has answered every attempt by the time the node stops.
      stop.stopped().thenRun(blocking::close);
    }
    try {
      this.supervisor = ready.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      system.terminate();
      throw new IllegalStateException("PEL node did not start its supervisor", e);
    }
    LOG.info("PEL layer up: {} routees, routing {}, at most {} tasks accepted",
        settings.workersPerNode(), settings.routing().configName(), settings.admissionLimit());
  }

  /** Starts a node from {@code application.conf}, PEL's defaults and the {@code PEL_*} environment. */
  public static ExecutionLayer start() {
    return start(ConfigFactory.empty());
  }

  /**
   * Starts a node from {@code config} (your own settings, such as {@code
   * ConfigFactory.parseString("pel.workers-per-node = 4")}) over {@code application.conf} and PEL's
   * defaults, with the {@code PEL_*} environment variables above it.
   *
   * @throws io.pel.cluster.InvalidSettingException naming the key or variable whose value is unusable
   */
  public static ExecutionLayer start(Config config) {
    return start(config, System.getenv());
  }

  /**
   * As {@link #start(Config)}, with the {@code PEL_*} variables read from {@code environment} instead of
   * the process environment: for a program that is handed its environment, such as a node's main run by
   * a test.
   *
   * @throws io.pel.cluster.InvalidSettingException naming the key or variable whose value is unusable
   */
  public static ExecutionLayer start(Config config, Map<String, String> environment) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(environment, "environment");
    return new ExecutionLayer(PelNode.config(config, environment));
  }

  /**
   * Registers {@code handler} for {@code type}; the one instance is shared by every routee, so it must be
   * thread-safe. Use {@link #registerFactory} for a handler with per-routee state.
   *
   * @throws IllegalStateException if {@code type}'s name already has a handler
   */
  public <I, O> ExecutionLayer register(TaskType<I, O> type, TaskHandler<? super I, ? extends O> handler) {
    Objects.requireNonNull(handler, "handler");
    return registerFactory(type, () -> handler);
  }

  /**
   * Registers a factory that builds one handler per routee (to hold a model, a buffer or a connection);
   * a routee restarted by supervision builds its handler again.
   */
  public <I, O> ExecutionLayer registerFactory(
      TaskType<I, O> type, Supplier<? extends TaskHandler<? super I, ? extends O>> factory) {
    registry.register(type, factory);
    return this;
  }

  /** Registers an asynchronous handler for {@code type}, shared by every routee. */
  public <I, O> ExecutionLayer registerAsync(TaskType<I, O> type, AsyncTaskHandler<? super I, ? extends O> handler) {
    Objects.requireNonNull(handler, "handler");
    return registerAsyncFactory(type, () -> handler);
  }

  /** Registers a factory of asynchronous handlers, one per routee. */
  public <I, O> ExecutionLayer registerAsyncFactory(
      TaskType<I, O> type, Supplier<? extends AsyncTaskHandler<? super I, ? extends O>> factory) {
    registry.registerAsync(type, factory);
    return this;
  }

  /**
   * Submits a task. The stage completes with the handler's result, or exceptionally with: {@link
   * TaskFailedException} (the retry policy gave up), {@link OverloadedException} (at once: the node holds
   * as many tasks as it may), {@link UnknownTaskTypeException} (at once: no handler for the type), {@link
   * IllegalArgumentException} (at once: the input is not of the type's input class), or {@link
   * IllegalStateException} (the layer is closed).
   *
   * <p>Cancelling the stage ({@code toCompletableFuture().cancel(false)}) withdraws the task: if it has
   * not started it never runs, and if it is running its result is dropped; its admission place is freed
   * at once either way.
   *
   * @throws NullPointerException if {@code type} or {@code input} is null
   */
  public <I, O> CompletionStage<O> submit(TaskType<I, O> type, I input) {
    return submitter.submit(type, null, input, false);
  }

  /**
   * Submits a task routed by {@code shardKey}: while the set of routees does not change, tasks with the
   * same key run on the same routee, in the order submitted (retries aside).
   */
  public <I, O> CompletionStage<O> submit(TaskType<I, O> type, String shardKey, I input) {
    Objects.requireNonNull(shardKey, "shardKey");
    return submitter.submit(type, shardKey, input, false);
  }

  /**
   * Submits {@code inputs} as one batch: they travel in one message to one routee, which runs the type's
   * handler on each in turn (an asynchronous handler on all at once), so that tiny tasks do not pay a
   * message and a routing decision each. Each element still gets the retry policy: one that fails
   * retryably is retried alone, on any routee, with the attempts it has left; one whose routee crashed
   * before running it is re-run alone without losing an attempt.
   *
   * <p>The stage completes once every element has its {@link TaskOutcome}, in input order; an element's
   * failure never fails the stage. The stage fails at once with {@link OverloadedException}, {@link
   * UnknownTaskTypeException}, {@link IllegalArgumentException} (an input not of the type's input class,
   * or more than 100,000 inputs) or {@link IllegalStateException} (the layer is closed). A batch counts as
   * one task for admission and as one attempt for the task timeout, which covers the whole batch: a batch
   * that times out on every attempt fails all its elements with the {@link TaskFailedException}.
   * Cancelling the stage ({@code toCompletableFuture().cancel(false)}) withdraws the batch and its
   * elements' retries.
   *
   * @throws NullPointerException if {@code type}, {@code inputs} or one of the inputs is null
   */
  public <I, O> CompletionStage<List<TaskOutcome<O>>> submitBatch(TaskType<I, O> type, List<? extends I> inputs) {
    return submitter.submitBatch(type, inputs);
  }

  /**
   * Whether {@link #submit} accepts tasks: {@code false} once {@link #close()} has begun (sub-tasks of
   * accepted tasks are still taken while the layer drains). A readiness check reports this.
   */
  public boolean isAcceptingTasks() {
    return !admission.isClosing();
  }

  /**
   * A stage that completes once {@link #submit} (or {@link #submitBatch}) would not be refused with
   * {@link OverloadedException}: at once if this node holds fewer than its admission limit of accepted
   * tasks now, else as soon as enough of them complete. For a caller refused for overload, to offer again
   * without polling. A hint, not a reservation: another caller may take the place first, so offer again
   * and, if refused again, wait again. The stage never fails; when it does not complete at once, it
   * completes on the common fork-join pool, never on PEL's supervisor thread (attach blocking continuations
   * with an {@code *Async} variant and an executor of yours). Cancelling it or giving up on it affects no
   * one else. It does not say the layer is open: once {@link #close()} has begun, {@code submit} fails with
   * {@link IllegalStateException} whatever the load.
   */
  public CompletionStage<Void> whenAcceptingMore() {
    return admission.whenRoom();
  }

  /**
   * A stage that completes with the number of routees this node dispatches to, across the cluster, once
   * that number satisfies {@code condition}: at once if it does now, else when routees join, leave or are
   * lost. For a client node waiting for workers ({@code n -> n > 0}), or a test waiting for a node to be
   * seen gone. Add a timeout with {@code toCompletableFuture().orTimeout(...)}; a stage given up on is
   * forgotten at the next change.
   */
  public CompletionStage<Integer> awaitRoutees(IntPredicate condition) {
    Objects.requireNonNull(condition, "condition");
    CompletableFuture<Integer> ready = new CompletableFuture<>();
    supervisor.tell(new WorkSupervisor.AwaitRoutees(condition, ready));
    return ready;
  }

  /**
   * This node's checkpointed jobs. The first call opens the job store ({@code pel.jobs.store}: by default
   * the H2 file {@code pel-jobs.mv.db} under {@code pel.data-dir}, created if missing) and joins this node
   * to the cluster's job coordinators; from then on the unfinished jobs of the store resume. Call it at
   * start-up on every node of a cluster (as you register handlers on every node), and register the
   * handlers of your job task types before it.
   *
   * @throws JobStoreException naming the file or URL if the store is corrupt, not PEL's, held by another
   *     process or unreachable; nothing in it has been changed
   */
  public synchronized Jobs jobs() {
    if (jobs != null) return jobs;
    if (closed.get()) throw new IllegalStateException("the execution layer is closed");
    JobStore store = JobStore.open(jobSettings);
    ClusterSharding sharding = ClusterSharding.get(system);
    ActorRef<JobIndex.Command> index = ClusterSingleton.get(system)
        .init(SingletonActor.of(JobIndex.create(jobSettings, sharding), "pel-job-index"));
    String node = Cluster.get(system).selfMember().address().toString();
    JobContext context = new JobContext(jobSettings, store, JobValues.of(system), registry, submitter, admission, sharding, index, node,
        system.dispatchers().lookup(DispatcherSelector.blocking()));
    sharding.init(Entity.of(JobCoordinator.KEY, entity -> JobCoordinator.create(entity.getEntityId(), context)));
    LOG.info("PEL jobs started: job store {}", store.location());
    jobs = new Jobs(context, registry);
    return jobs;
  }

  /**
   * The routees of the whole cluster, counted per node: the node's address ({@code pekko://system@host:port})
   * and how many routees the cluster's registry lists there now, reachable or not.
   */
  public CompletionStage<Map<String, Integer>> routeesByNode() {
    Address self = Cluster.get(system).selfMember().address();
    return AskPattern.<Receptionist.Command, Receptionist.Listing>ask(system.receptionist(),
            replyTo -> Receptionist.find(Worker.SERVICE_KEY, replyTo), java.time.Duration.ofSeconds(10), system.scheduler())
        .thenApply(listing -> {
          Map<String, Integer> byNode = new java.util.TreeMap<>();
          for (ActorRef<Worker.Command> routee : listing.getAllServiceInstances(Worker.SERVICE_KEY)) {
            Address address = routee.path().address();
            byNode.merge((address.hasLocalScope() ? self : address).toString(), 1, Integer::sum);
          }
          return byNode;
        });
  }

  /**
   * The routees this node dispatches to now, across the cluster (0 on a client node before it has seen a
   * worker). Cheap: a single read, for callers that size their own concurrency from it.
   */
  public int routeeCount() {
    return metrics.routees();
  }

  /** This node's blocking pool now ({@link BlockingPoolStats#NONE} on a node without one). */
  public BlockingPoolStats blockingPool() {
    return blocking == null ? BlockingPoolStats.NONE : blocking.snapshot();
  }

  /** This node's counters now. */
  public LayerStats stats() {
    return metrics.snapshot(admission.accepted());
  }

  /**
   * This node's load now: cumulative counters of its routees' busy time and completed attempts, and the
   * tasks waiting for a routee. Two readings give busy fraction and rates ({@link NodeLoad#between}).
   *
   * @param nanos the reader's clock now (a test's clock, or {@link System#nanoTime()})
   */
  public NodeLoad load(long nanos) {
    return metrics.load(nanos);
  }

  /** The settings this node runs with. */
  public PelSettings settings() {
    return settings;
  }

  /** The node's actor system, to spawn actors or run streams beside the layer. */
  public ActorSystem<Void> system() {
    return system;
  }

  /**
   * Stops accepting new tasks, waits up to {@code pel.shutdown-drain-timeout} for every accepted task
   * (and the sub-tasks they submit) to complete, then takes this node's routees out of the cluster once
   * every attempt other nodes sent them is answered, leaves the cluster and stops the node. Tasks still
   * running after the timeout complete with an {@link IllegalStateException}. SIGTERM and a cluster leave
   * run the same shutdown. Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) system.terminate(); // runs the coordinated shutdown, which drains first
    whenStopped().toCompletableFuture().join();
    if (stop.terminated()) {
      LOG.info("PEL layer closed: {}", stats());
    } else {
      LOG.warn("PEL layer closed, its actor system not yet terminated: the node has left the cluster and runs"
          + " nothing, but Pekko's remote transport waits for a peer to close its TLS connection; its threads end"
          + " when the peer does. {}", stats());
    }
  }

  /**
   * Completes once this node has stopped, whoever stopped it ({@link #close()}, SIGTERM, a cluster leave or
   * downing): its actor system has terminated or, if that is still waiting on a peer's connection, the node
   * has left the cluster and the termination has had Pekko's {@code actor-system-terminate} phase timeout.
   */
  public CompletionStage<Void> whenStopped() {
    return stop.stopped();
  }
}
