package io.pel.bench;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.TaskType;
import io.pel.streams.ParallelFlow;
import java.util.List;
import java.util.stream.LongStream;

/**
 * {@code cpumap}: CPU-bound elements of 80-90 &micro;s each ({@link Mix#burn}); the checksum is the
 * wrapping sum of the results. What it measures is parallel efficiency: how close each engine gets to
 * keeping every core busy.
 */
public final class CpuMapWorkload implements Workload {

  /** Elements at scale 1. */
  public static final long FULL_SIZE = 20_000;
  /** Rounds of the kernel per element. */
  public static final int ROUNDS = 25_000;
  /** The task: {@code i -> burn(i)}. */
  public static final TaskType<Long, Long> BURN = TaskType.of("bench.burn", Long.class, Long.class);

  private final long elements;

  public CpuMapWorkload(long elements) {
    this.elements = elements;
  }

  @Override
  public String name() {
    return "cpumap";
  }

  @Override
  public String unit() {
    return "elements";
  }

  @Override
  public double amount() {
    return elements;
  }

  @Override
  public void register(ExecutionLayer layer) {
    layer.register(BURN, (i, ctx) -> Mix.burn(i, ROUNDS));
  }

  @Override
  public List<Engine> engines(BenchContext context) {
    return List.of(
        new Engine(Engine.SEQUENTIAL, () -> {
          long sum = 0;
          for (long i = 0; i < elements; i++) sum += Mix.burn(i, ROUNDS);
          return sum;
        }),
        new Engine(Engine.PARALLEL_STREAMS, () -> LongStream.range(0, elements).parallel().map(i -> Mix.burn(i, ROUNDS)).sum()),
        new Engine(Engine.PEKKO_STREAMS, () -> TasksWorkload.pekkoMap(context, elements, i -> Mix.burn(i, ROUNDS))),
        new Engine(Engine.PEL_FLOW, () -> BenchContext.await(TasksWorkload.indices(elements)
            .via(ParallelFlow.of(context.layer(), BURN).unordered().flow())
            .runWith(TasksWorkload.sum(), context.layer().system()))),
        new Engine(Engine.PEL_SUBMIT, () -> TasksWorkload.submitAll(context.layer(), BURN, elements)));
  }
}
