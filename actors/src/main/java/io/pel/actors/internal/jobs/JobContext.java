package io.pel.actors.internal.jobs;

import io.pel.actors.internal.Admission;
import io.pel.actors.internal.HandlerRegistry;
import io.pel.actors.internal.TaskSubmitter;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * What a node's job actors share: settings, the store, the values codec, the node's handlers, submitter
 * and admission (to wait for room when the layer is full), the cluster's job index and coordinators, and
 * the executor for blocking calls on the store.
 */
public record JobContext(
    JobSettings settings, JobStore store, JobValues values, HandlerRegistry registry, TaskSubmitter submitter,
    Admission admission, ClusterSharding sharding, ActorRef<JobIndex.Command> index, String node, Executor blocking) {}
