package io.pel.actors;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A kind of task: a name with the types of its input and its output.
 *
 * <p>The name is what crosses the wire; every node that runs workers registers a handler under the same
 * name. Two task types are equal when their name, full types, idempotence and blocking are: a type of {@code
 * List<String>} input is not one of {@code List<Integer>}. At submit and on the routee, an input and a
 * result are checked against their type's erased class ({@link #inputType()}, {@link #outputType()}).
 *
 * <pre>{@code
 * TaskType<List<String>, Map<String, Long>> COUNT = TaskType.of("count-words",
 *     new TypeRef<List<String>>() {}, new TypeRef<Map<String, Long>>() {});
 * }</pre>
 *
 * @param name 1&ndash;200 characters of letters, digits and {@code . _ - : /}
 * @param input the type of its inputs
 * @param output the type of its results ({@code Void} for none)
 * @param idempotent whether its handler may run twice for one task: see {@link #asIdempotent()}
 * @param blocking whether its handler waits most of its time: see {@link #asBlocking()}
 */
public record TaskType<I, O>(String name, TypeRef<I> input, TypeRef<O> output, boolean idempotent, boolean blocking) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._\\-:/]{1,200}");

  /** @throws IllegalArgumentException if the name is empty, too long or has other characters */
  public TaskType {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "task type name '" + name + "' is not valid: use 1-200 letters, digits or . _ - : /");
    }
  }

  /** A type that is not declared blocking. */
  public TaskType(String name, TypeRef<I> input, TypeRef<O> output, boolean idempotent) {
    this(name, input, output, idempotent, false);
  }

  /** The task type {@code name} taking {@code inputType} and producing {@code outputType}. */
  public static <I, O> TaskType<I, O> of(String name, Class<I> inputType, Class<O> outputType) {
    Objects.requireNonNull(inputType, "inputType");
    Objects.requireNonNull(outputType, "outputType");
    return new TaskType<>(name, TypeRef.of(inputType), TypeRef.of(outputType), false);
  }

  /** The task type {@code name} taking {@code input} and producing {@code output}, generic types both. */
  public static <I, O> TaskType<I, O> of(String name, TypeRef<I> input, TypeRef<O> output) {
    return new TaskType<>(name, input, output, false);
  }

  /** The class every input must be an instance of: {@link #input()}'s erasure. */
  public Class<I> inputType() {
    return input.rawType();
  }

  /** The class every result must be an instance of: {@link #output()}'s erasure. */
  public Class<O> outputType() {
    return output.rawType();
  }

  /**
   * This type, declared idempotent: running its handler twice on the same input does no harm. Such a
   * type gets speculative execution ({@code pel.speculation}): an attempt that runs far longer than its
   * type usually takes gets a duplicate on another routee, and the first result wins. Register and submit
   * with the same declared type.
   */
  public TaskType<I, O> asIdempotent() {
    return new TaskType<>(name, input, output, true, blocking);
  }

  /**
   * This type, declared blocking: its synchronous handler spends most of its time waiting (on I/O, a
   * remote service, a lock), not on the CPU. Its attempts run on the node's elastic blocking pool
   * ({@code pel.blocking-pool}), which grows while they wait, rather than on the routees, which number
   * one a core and are kept for CPU-bound work. A type that is not declared but behaves so is found and
   * moved there too ({@code pel.blocking-pool.detect}). Register and submit with the same declared type.
   */
  public TaskType<I, O> asBlocking() {
    return new TaskType<>(name, input, output, idempotent, true);
  }

  @Override
  public String toString() {
    return name + "(" + input.simpleName() + " -> " + output.simpleName() + (idempotent ? ", idempotent" : "")
        + (blocking ? ", blocking)" : ")");
  }
}
