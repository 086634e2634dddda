package io.pel.samples.service;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.TaskType;
import io.pel.samples.Samples;
import io.pel.samples.jobs.PrimeJobs;
import io.pel.samples.risk.RiskTasks;
import io.pel.samples.tasks.TinyTasks;
import java.util.List;

/**
 * The samples' task types in the service: every sample's handlers are registered ({@link
 * Samples#registerAll}, so the node also runs the samples' clients' tasks), and those with JSON-friendly
 * inputs are served: {@code tiny.increment} (a number), {@code jobs.count-primes} (a block number) and
 * {@code risk.var} (a VaR request).
 */
public final class SamplesModule implements TaskModule {

  @Override
  public List<TaskType<?, ?>> register(ExecutionLayer layer) {
    Samples.registerAll(layer);
    return List.of(TinyTasks.INCREMENT, PrimeJobs.COUNT_PRIMES, RiskTasks.VAR);
  }
}
