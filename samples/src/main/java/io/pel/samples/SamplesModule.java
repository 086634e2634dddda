package io.pel.samples;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.TaskType;
import io.pel.samples.jobs.PrimeJobs;
import io.pel.samples.risk.RiskTasks;
import io.pel.samples.tasks.TinyTasks;
import io.pel.service.TaskModule;
import java.util.List;

/**
 * The samples' task types in the streaming service: every sample's handlers are registered ({@link
 * Samples#registerAll}, so the node also runs the samples' clients' tasks), and those with JSON-friendly
 * inputs are served: {@code tiny.increment} (a number), {@code jobs.count-primes} (a block number) and
 * {@code risk.var} (a VaR request). Named in this module's {@code META-INF/services/io.pel.service.TaskModule},
 * so {@code ./pel start}, which runs {@link io.pel.service.NodeMain} with the samples' jar, serves them.
 */
public final class SamplesModule implements TaskModule {

  @Override
  public List<TaskType<?, ?>> register(ExecutionLayer layer) {
    Samples.registerAll(layer);
    return List.of(TinyTasks.INCREMENT, PrimeJobs.COUNT_PRIMES, RiskTasks.VAR);
  }
}
