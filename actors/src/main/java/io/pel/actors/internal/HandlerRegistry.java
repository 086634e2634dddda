package io.pel.actors.internal;

import io.pel.actors.AsyncTaskHandler;
import io.pel.actors.TaskHandler;
import io.pel.actors.TaskType;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The handlers this node can run, by task type name. Shared by the facade (which checks a type before
 * accepting a task) and every routee (which builds its own handler instances from the factories).
 * Thread-safe: registrations may be added while tasks run.
 */
public final class HandlerRegistry {

  /**
   * A registered task type and how to make its handler. {@code factory} yields a {@link TaskHandler} or,
   * when {@code async}, an {@link AsyncTaskHandler}; a routee calls it once and again after a restart (and
   * each thread of the blocking pool once). {@code blocking} says whether a synchronous handler's attempts
   * run on the blocking pool.
   */
  public record Registration(TaskType<?, ?> type, boolean async, Supplier<?> factory, BlockingSignal blocking) {


    /** A new handler instance from the factory; a factory that returns {@code null} is a bug, named here. */
    public Object newHandler() {
      Object handler = factory.get();
      if (handler == null) throw new IllegalStateException("the handler factory of task type '" + type.name() + "' returned null");
      return handler;
    }

    /** Whether its attempts run on the blocking pool now (a synchronous handler, declared or found blocking). */
    public boolean pooled() {
      return !async && blocking.pooled();
    }
  }

  private final ConcurrentHashMap<String, Registration> byName = new ConcurrentHashMap<>();
  private final boolean blockingPool;

  /** A registry for a node without a blocking pool: every handler runs on the routees. */
  public HandlerRegistry() {
    this(false);
  }

  /** @param blockingPool whether the node has a blocking pool for the types declared or found blocking */
  public HandlerRegistry(boolean blockingPool) {
    this.blockingPool = blockingPool;
  }

  /** Whether the node has a blocking pool. */
  public boolean blockingPool() {
    return blockingPool;
  }

  /** Registers a synchronous handler factory; refuses a second registration of the same name. */
  public <I, O> void register(TaskType<I, O> type, Supplier<? extends TaskHandler<? super I, ? extends O>> factory) {
    Objects.requireNonNull(type, "type");
    add(new Registration(type, false, Objects.requireNonNull(factory, "factory"), new BlockingSignal(blockingPool && type.blocking())));
  }

  /** Registers an asynchronous handler factory; refuses a second registration of the same name. */
  public <I, O> void registerAsync(
      TaskType<I, O> type, Supplier<? extends AsyncTaskHandler<? super I, ? extends O>> factory) {
    Objects.requireNonNull(type, "type");
    add(new Registration(type, true, Objects.requireNonNull(factory, "factory"), new BlockingSignal(false)));
  }

  private void add(Registration registration) {
    Objects.requireNonNull(registration.type(), "type");
    Registration before = byName.putIfAbsent(registration.type().name(), registration);
    if (before != null) {
      throw new IllegalStateException("a handler for task type '" + registration.type().name()
          + "' is already registered (" + before.type() + ")");
    }
  }

  /** The registration for {@code name}, or {@code null}. */
  public Registration find(String name) {
    return byName.get(name);
  }

  /** The registered type names, sorted, for error messages. */
  public List<String> names() {
    return byName.keySet().stream().sorted().toList();
  }
}
