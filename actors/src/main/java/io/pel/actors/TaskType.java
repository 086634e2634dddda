package io.pel.actors;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A kind of task: a name with the classes of its input and its output.
 *
 * <p>The name is what crosses the wire; every node that runs workers registers a handler under the same
 * name. Two task types are equal when their name, classes and idempotence are.
 *
 * @param name 1&ndash;200 characters of letters, digits and {@code . _ - : /}
 * @param inputType the class every input must be an instance of
 * @param outputType the class every result must be an instance of ({@code Void} for none)
 * @param idempotent whether its handler may run twice for one task: see {@link #asIdempotent()}
 */
public record TaskType<I, O>(String name, Class<I> inputType, Class<O> outputType, boolean idempotent) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._\\-:/]{1,200}");

  /** @throws IllegalArgumentException if the name is empty, too long or has other characters */
  public TaskType {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(inputType, "inputType");
    Objects.requireNonNull(outputType, "outputType");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "task type name '" + name + "' is not valid: use 1-200 letters, digits or . _ - : /");
    }
  }

  /** The task type {@code name} taking {@code inputType} and producing {@code outputType}. */
  public static <I, O> TaskType<I, O> of(String name, Class<I> inputType, Class<O> outputType) {
    return new TaskType<>(name, inputType, outputType, false);
  }

  /**
   * This type, declared idempotent: running its handler twice on the same input does no harm. Such a
   * type gets speculative execution ({@code pel.speculation}): an attempt that runs far longer than its
   * type usually takes gets a duplicate on another routee, and the first result wins. Register and submit
   * with the same declared type.
   */
  public TaskType<I, O> asIdempotent() {
    return new TaskType<>(name, inputType, outputType, true);
  }

  @Override
  public String toString() {
    return name + "(" + inputType.getSimpleName() + " -> " + outputType.getSimpleName() + (idempotent ? ", idempotent)" : ")");
  }
}
