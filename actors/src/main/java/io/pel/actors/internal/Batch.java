package io.pel.actors.internal;

import io.pel.cluster.PelSerializable;
import java.util.List;

/**
 * The payload of a batch task: many inputs of one task type that travel and are dispatched as one task,
 * so that tiny tasks do not pay a message and a routing decision each. A routee runs them one after the
 * other (or, for an asynchronous handler, starts them all) and answers with one {@link Result}.
 */
public record Batch(List<Object> inputs) implements PelSerializable {

  /**
   * Each element's result or failure. Elements at index {@code ran} and beyond were not run: a fatal
   * failure of an earlier one stopped the routee.
   *
   * @param taskId the batch task's id, to name its elements in errors
   */
  public record Result(String taskId, List<Object> results, List<FailureReport> failures, int ran)
      implements PelSerializable {}
}
