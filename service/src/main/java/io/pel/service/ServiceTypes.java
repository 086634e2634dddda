package io.pel.service;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.TaskType;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The task types a service serves, by name: those of every {@link TaskModule} on the class path ({@link
 * #load}), or of the modules given ({@link #of}).
 */
public final class ServiceTypes {

  private final TreeMap<String, TaskType<?, ?>> byName = new TreeMap<>();

  private ServiceTypes() {}

  /**
   * Runs every {@link TaskModule} that {@link ServiceLoader} finds on the class path against {@code layer}.
   *
   * @throws IllegalStateException if two modules serve the same type name, or a module fails
   */
  public static ServiceTypes load(ExecutionLayer layer) {
    ServiceTypes types = new ServiceTypes();
    for (TaskModule module : ServiceLoader.load(TaskModule.class)) types.add(module, layer);
    return types;
  }

  /**
   * Runs {@code modules}, and no other, against {@code layer}, in order: for a program that chooses the
   * modules it serves itself (the built-in {@code sha256} included or not) rather than take those of its
   * class path.
   *
   * @throws IllegalStateException if two modules serve the same type name, or a module fails
   */
  public static ServiceTypes of(ExecutionLayer layer, TaskModule... modules) {
    ServiceTypes types = new ServiceTypes();
    for (TaskModule module : modules) types.add(module, layer);
    return types;
  }

  private void add(TaskModule module, ExecutionLayer layer) {
    List<TaskType<?, ?>> served;
    try {
      served = module.register(layer);
    } catch (RuntimeException e) {
      throw new IllegalStateException("task module " + module.getClass().getName() + " failed to register: " + e, e);
    }
    for (TaskType<?, ?> type : served) {
      TaskType<?, ?> before = byName.putIfAbsent(type.name(), type);
      if (before != null) throw new IllegalStateException("two task modules serve the type '" + type.name() + "'");
    }
  }

  /** The type named {@code name}, or null. */
  public TaskType<?, ?> find(String name) {
    return byName.get(name);
  }

  /** The served names, sorted. */
  public List<String> names() {
    return List.copyOf(Collections.unmodifiableSet(byName.keySet()));
  }
}
