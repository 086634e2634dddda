package io.pel.actors;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A kind of task: a name with the classes of its input and its output.
 *
 * <p>The name is what crosses the wire; every node that runs workers registers a handler under the same
 * name. Two task types are equal when their name and classes are.
 *
 * @param name 1&ndash;200 characters of letters, digits and {@code . _ - : /}
 * @param inputType the class every input must be an instance of
 * @param outputType the class every result must be an instance of ({@code Void} for none)
 */
public record TaskType<I, O>(String name, Class<I> inputType, Class<O> outputType) {

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
    return new TaskType<>(name, inputType, outputType);
  }

  @Override
  public String toString() {
    return name + "(" + inputType.getSimpleName() + " -> " + outputType.getSimpleName() + ")";
  }
}
