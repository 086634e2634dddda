package io.pel.service;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.TaskType;
import java.util.List;

/**
 * Task types a user adds to the streaming service: put a jar with an implementation on the class path,
 * named in {@code META-INF/services/io.pel.service.TaskModule}, and restart the node. The service
 * finds every module with {@link java.util.ServiceLoader} at start-up, lets it register its handlers, and
 * serves the types it returns at {@code /v1/streams/{type}} and in jobs.
 *
 * <p>Inputs arrive as JSON and results leave as JSON, through Jackson: a type's input class must be one
 * Jackson can read from a JSON value (a string, a number, a record, a list...), and its output class one it
 * can write. Every node of a cluster must have the same modules, as it has the same handlers. An
 * implementation is a public class with a public no-argument constructor, as {@link java.util.ServiceLoader}
 * needs.
 *
 * <p>Inputs and results cross between the nodes of a cluster through PEL's Kryo serializer, which knows
 * strings, numbers and PEL's collections; a jar whose types carry classes of its own registers them with a
 * {@link io.pel.cluster.KryoRegistrar} named in the jar's {@code reference.conf}: {@code
 * pel.serialization.module-registrars.<module> = "<class>"}.
 *
 * <pre>{@code
 * public final class ScoringModule implements TaskModule {
 *   static final TaskType<String, Integer> SCORE = TaskType.of("score", String.class, Integer.class);
 *
 *   public List<TaskType<?, ?>> register(ExecutionLayer layer) {
 *     layer.register(SCORE, (text, ctx) -> text.length());
 *     return List.of(SCORE);
 *   }
 * }
 * }</pre>
 */
public interface TaskModule {

  /**
   * Registers this module's handlers on {@code layer} and returns the task types the service should
   * serve (it may register others it only uses internally).
   */
  List<TaskType<?, ?>> register(ExecutionLayer layer);
}
