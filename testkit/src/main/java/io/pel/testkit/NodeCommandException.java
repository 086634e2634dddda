package io.pel.testkit;

import java.time.Duration;

/**
 * A node answered a {@link JvmNode#call(String, Duration)} with an error: the command's handler threw (the
 * error is the exception's class and message), returned null, or no handler has the command's name (the
 * error lists the registered ones).
 */
public final class NodeCommandException extends JvmClusterException {

  private static final long serialVersionUID = 1L;

  private final int node;
  private final String command;
  private final String error;

  /**
   * An exception for {@code command}, answered by node {@code node} with {@code error}.
   *
   * @param node the node's index, from 1
   * @param command the command as the test sent it
   * @param error the node's error text
   */
  public NodeCommandException(int node, String command, String error) {
    super("node " + node + " failed command '" + command + "': " + error);
    this.node = node;
    this.command = command;
    this.error = error;
  }

  /** The index of the node that answered, from 1. */
  public int node() {
    return node;
  }

  /** The command as the test sent it. */
  public String command() {
    return command;
  }

  /** The node's error text, such as {@code java.lang.IllegalStateException: no such key}. */
  public String error() {
    return error;
  }
}
