package io.pel.actors;

/**
 * Synchronous handler of a {@link TaskType}: plain Java code that PEL runs on its worker dispatcher.
 *
 * <p>It may block or burn CPU; it holds one routee while it runs. An exception fails the attempt and the
 * retry policy decides what follows: {@link NonRetryableException} fails the task at once, {@link
 * FatalTaskException} or an {@link Error} also restarts the routee (and rebuilds handlers made by a
 * factory). Returning {@code null} is allowed: the caller's stage completes with {@code null}.
 */
@FunctionalInterface
public interface TaskHandler<I, O> {

  /** Computes the result of one task. */
  O apply(I input, TaskContext context) throws Exception;
}
