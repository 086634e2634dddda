package io.pel.actors;

import io.pel.cluster.PelSerializable;
import java.time.Instant;
import java.util.Objects;

/**
 * A job's state and progress, as its coordinator last checkpointed them.
 *
 * @param jobId the job's id
 * @param taskType the name of its tasks' type
 * @param state running, completed or cancelled
 * @param total its number of tasks (inputs)
 * @param succeeded tasks completed with a result
 * @param failed tasks completed with a failure (the retry policy gave up)
 * @param acceptedAt when it was accepted
 * @param finishedAt when it completed or was cancelled; {@code null} while it runs
 * @param compacted whether its results were dropped after {@code pel.jobs.retention}; its status stays
 * @param node the address of the node whose coordinator answered: where the job is run from
 */
public record JobStatus(
    String jobId, String taskType, JobState state, int total, int succeeded, int failed, Instant acceptedAt,
    Instant finishedAt, boolean compacted, String node) implements PelSerializable {

  public JobStatus {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(taskType, "taskType");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(acceptedAt, "acceptedAt");
  }

  /** Tasks with an outcome, successful or not. */
  public int completed() {
    return succeeded + failed;
  }

  /** The fraction of tasks with an outcome, from 0 to 1. */
  public double progress() {
    return total == 0 ? 1.0 : (double) completed() / total;
  }

  @Override
  public String toString() {
    return "job " + jobId + " (" + taskType + "): " + state + ", " + completed() + "/" + total + " tasks done ("
        + failed + " failed)" + (compacted ? ", results compacted" : "") + ", on " + node;
  }
}
