package io.pel.actors;

/**
 * A snapshot of one node's execution counters, taken without stopping anything.
 *
 * @param submitted tasks accepted by this node since start
 * @param succeeded tasks that completed with a result
 * @param failed tasks that completed with a {@link TaskFailedException}
 * @param rejected submissions refused with {@link OverloadedException}
 * @param retries attempts re-run after a failure or a timeout
 * @param timeouts attempts that ran past the task timeout
 * @param redispatched attempts sent elsewhere because their routee stopped
 * @param duplicatesDropped results that arrived for a task already completed or cancelled
 * @param cancelled tasks whose caller cancelled them before they completed
 * @param routeeRestarts restarts of this node's routees by supervision
 * @param speculativeLaunches duplicates started for straggling attempts ({@code pel.speculation})
 * @param speculativeWins tasks whose speculative duplicate answered first
 * @param attemptsRun attempts this node's routees have taken in to run, whichever node's supervisor sent
 *     them (retries count again; a batch counts once): the work this node did, where {@code submitted}
 *     is the work it was given
 * @param routees routees this node's supervisor can dispatch to, cluster-wide
 * @param accepted tasks accepted and not yet completed (running, queued or waiting for a retry)
 */
public record LayerStats(
    long submitted,
    long succeeded,
    long failed,
    long rejected,
    long retries,
    long timeouts,
    long redispatched,
    long duplicatesDropped,
    long cancelled,
    long routeeRestarts,
    long speculativeLaunches,
    long speculativeWins,
    long attemptsRun,
    int routees,
    int accepted) {}
