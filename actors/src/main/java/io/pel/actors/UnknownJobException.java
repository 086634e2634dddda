package io.pel.actors;

/** No job has the id asked about: it was never accepted (or its submission did not reach the store). */
public final class UnknownJobException extends RuntimeException {

  private final String jobId;

  /** The job {@code jobId} is unknown. */
  public UnknownJobException(String jobId) {
    super("no job with id '" + jobId + "'");
    this.jobId = jobId;
  }

  /** The id asked about. */
  public String jobId() {
    return jobId;
  }
}
