package io.pel.bench.jmh;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.TaskOutcome;
import io.pel.actors.TaskType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Tasks end to end through an embedded {@link ExecutionLayer} with its default settings (one routee per
 * core, adaptive routing): submitted, routed by the supervisor, run by a routee, answered, and awaited by
 * the caller. The handler returns its input, so the time is PEL's own cost. One task or batch is in flight
 * at a time: this is latency, not throughput under load.
 *
 * <p>{@code tasks} in the results is the time per task (per element of a batch), beside the time per call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class DispatchBenchmark {

  private static final TaskType<Long, Long> IDENTITY = TaskType.of("bench.jmh.identity", Long.class, Long.class);

  /** A started layer with the identity handler; closed after the trial. */
  @State(Scope.Benchmark)
  public static class Layer {

    ExecutionLayer layer;

    @Setup(Level.Trial)
    public void setUp() {
      layer = ExecutionLayer.start();
      layer.register(IDENTITY, (input, ctx) -> input);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      layer.close();
    }
  }

  /** The inputs of one batch: 0 to {@code batchSize - 1}. */
  @State(Scope.Benchmark)
  public static class Inputs {

    @Param({"1", "64", "1024"})
    public int batchSize;

    List<Long> inputs;

    @Setup(Level.Trial)
    public void setUp() {
      inputs = new ArrayList<>(batchSize);
      for (long i = 0; i < batchSize; i++) inputs.add(i);
    }
  }

  /** Tasks completed, so that JMH reports the time per task as well as per call. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Tasks {
    public long tasks;

    @Setup(Level.Iteration)
    public void reset() {
      tasks = 0;
    }
  }

  /** {@code submitBatch} of {@code batchSize} inputs: one message and one routing decision for them all. */
  @Benchmark
  public List<TaskOutcome<Long>> submitBatch(Layer layer, Inputs inputs, Tasks tasks) {
    List<TaskOutcome<Long>> outcomes = layer.layer.submitBatch(IDENTITY, inputs.inputs).toCompletableFuture().join();
    tasks.tasks += outcomes.size();
    return outcomes;
  }

  /** {@code submit} of one task, for comparison with a batch of one. */
  @Benchmark
  public Long submit(Layer layer, Tasks tasks) {
    Long result = layer.layer.submit(IDENTITY, 1L).toCompletableFuture().join();
    tasks.tasks++;
    return result;
  }
}
