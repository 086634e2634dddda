package io.pel.service;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.NonRetryableException;
import io.pel.actors.TaskType;
import java.util.List;

/**
 * A user's task module, found by {@link java.util.ServiceLoader} through this test class path's {@code
 * META-INF/services/io.pel.service.TaskModule}, as a user's jar would be.
 */
public final class GreetingModule implements TaskModule {

  /** A record input, to show Jackson reading a structured line. */
  public record Person(String name, int age) {}

  static final TaskType<Person, String> GREET = TaskType.of("test.greet", Person.class, String.class);

  @Override
  public List<TaskType<?, ?>> register(ExecutionLayer layer) {
    layer.register(GREET, (person, ctx) -> {
      if (person.name() == null) throw new NonRetryableException("a person needs a name");
      return "hello, " + person.name() + " (" + person.age() + ")";
    });
    return List.of(GREET);
  }
}
