package io.pel.service;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.TaskType;
import java.util.List;

/**
 * A user's task module with a number type, {@code test.increment} ({@code n -> n + 1}): found, like {@link
 * GreetingModule}, through this test class path's {@code META-INF/services/io.pel.service.TaskModule}. Not
 * idempotent, so no speculative duplicate ever runs one of its tasks twice.
 */
public final class IncrementModule implements TaskModule {

  /** {@code n -> n + 1}. */
  public static final TaskType<Long, Long> INCREMENT = TaskType.of("test.increment", Long.class, Long.class);

  @Override
  public List<TaskType<?, ?>> register(ExecutionLayer layer) {
    layer.register(INCREMENT, (n, ctx) -> n + 1);
    return List.of(INCREMENT);
  }
}
