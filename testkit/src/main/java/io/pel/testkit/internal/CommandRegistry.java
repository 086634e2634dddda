package io.pel.testkit.internal;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The commands a node's main method registered through {@code io.pel.testkit.NodeCommands}, and the wait for
 * one that a call names before the main method has registered it.
 *
 * <p>One lock guards the handlers and whether the main method is still running. A call that names a command
 * not yet registered waits while the main method runs (a test may call a node as soon as it is Up, which can
 * be before main has registered everything); once main has returned or thrown, an unknown command is an
 * error at once.
 */
public final class CommandRegistry {

  private static final Pattern NAME = Pattern.compile("\\S+");
  private static final Object LOCK = new Object();
  private static final Map<String, Function<String, String>> HANDLERS = new TreeMap<>();
  private static boolean mainRunning;

  private CommandRegistry() {}

  /**
   * Adds a handler.
   *
   * @throws IllegalArgumentException if the name is empty or contains whitespace
   * @throws IllegalStateException if a handler of that name is already registered
   */
  public static void register(String name, Function<String, String> handler) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(handler, "handler");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a command name is one word without whitespace, was '" + name + "'");
    }
    synchronized (LOCK) {
      if (HANDLERS.containsKey(name)) throw new IllegalStateException("command '" + name + "' is already registered");
      HANDLERS.put(name, handler);
      LOCK.notifyAll();
    }
  }

  /** The registered command names, sorted. */
  public static Set<String> names() {
    synchronized (LOCK) {
      return Set.copyOf(HANDLERS.keySet());
    }
  }

  /** Marks the node's main method as running (true) or returned (false); called by {@link ChildMain} only. */
  static void mainRunning(boolean running) {
    synchronized (LOCK) {
      mainRunning = running;
      LOCK.notifyAll();
    }
  }

  /**
   * The handler named {@code name}, waiting for it while the main method is still running; null if main has
   * finished without registering it. {@code beforeWaiting} runs first if it has to wait.
   */
  static Function<String, String> await(String name, Runnable beforeWaiting) throws InterruptedException {
    synchronized (LOCK) {
      if (!HANDLERS.containsKey(name) && mainRunning) beforeWaiting.run();
      while (!HANDLERS.containsKey(name) && mainRunning) LOCK.wait();
      return HANDLERS.get(name);
    }
  }

  /** The registered names as the message of an unknown command shows them. */
  static String namesForMessage() {
    synchronized (LOCK) {
      return HANDLERS.keySet().toString();
    }
  }
}
