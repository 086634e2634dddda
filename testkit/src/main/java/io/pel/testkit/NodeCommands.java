package io.pel.testkit;

import io.pel.testkit.internal.CommandRegistry;
import java.time.Duration;
import java.util.function.Function;

/**
 * Commands a node's main method offers to the test that started it: the test sends {@code "name rest"} with
 * {@link JvmNode#call(String, Duration)}, and the handler registered under {@code name} gets {@code rest}
 * and returns the reply.
 *
 * <pre>{@code
 * static final TaskType<String, Integer> LENGTH = TaskType.of("length", String.class, Integer.class);
 *
 * public static void main(String[] args) {
 *   ExecutionLayer layer = ExecutionLayer.start();
 *   layer.register(LENGTH, (text, ctx) -> text.length());
 *   NodeCommands.register("length", text -> String.valueOf(layer.submit(LENGTH, text).toCompletableFuture().join()));
 * }
 * }</pre>
 *
 * <p>Each call runs on a thread of its own, so a handler may block (on a task's result, say) and several
 * calls may run at once: handlers must be thread-safe. A handler that throws fails the test's call with a
 * {@link NodeCommandException} carrying the exception's class and message; the node goes on answering.
 * A call may arrive as soon as the node is Up, before main has registered its commands: it waits for the
 * registration while main is still running, and fails as an unknown command once main has returned or
 * thrown. (So with a main that never returns, a call of a command it never registers fails only at the
 * call's timeout.)
 *
 * <p>Outside a node started by {@link JvmCluster} registering only stores the handler: nothing calls it.
 */
public final class NodeCommands {

  private NodeCommands() {}

  /**
   * Registers {@code handler} as the command {@code name}. Replies may have any text, line breaks
   * included; {@code null} is reported to the caller as an error.
   *
   * @param name the first word of the command, without whitespace
   * @param handler gets the rest of the command (after the name and one space; empty if there is none)
   * @throws IllegalArgumentException if {@code name} is empty or contains whitespace
   * @throws IllegalStateException if a command of that name is already registered in this JVM
   */
  public static void register(String name, Function<String, String> handler) {
    CommandRegistry.register(name, handler);
  }
}
