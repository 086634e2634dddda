package io.pel.bench;

import com.typesafe.config.ConfigFactory;
import io.pel.actors.BlockingPoolStats;
import io.pel.actors.ExecutionLayer;
import io.pel.actors.TaskType;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code ./pel bench blocking}: a blocking task type (a 20 ms wait, declared blocking) and a CPU-bound one
 * (cpumap's kernel, about 80 µs) on one node with the newcomer's settings. Three phases, each on a fresh
 * layer, repeated and interleaved: the CPU-bound type alone (its reference); both types on a node whose
 * blocking pool is off ({@code pel.blocking-pool.max-threads = 0}: the fixed routees, one a core, as PEL had
 * it); both on the default node. Each type is fed by a driver that keeps a fixed number of its tasks in flight;
 * throughput is counted after a warm-up in which the pool sizes itself. Reports the blocking type's
 * throughput against the fixed routees' and the CPU-bound type's against its own alone.
 */
public final class BlockingBench {

  public static final String MODE = "blocking";
  static final TaskType<Integer, Integer> WAIT = TaskType.of("bench.wait", Integer.class, Integer.class).asBlocking();
  static final long WAIT_MILLIS = 20;
  private static final int WAIT_IN_FLIGHT = 4_000;
  private static final int BURN_IN_FLIGHT = 64;
  private static final String POOL_OFF = "pel.blocking-pool { min-threads = 0, max-threads = 0 }";

  private BlockingBench() {}

  /** One phase's throughputs, tasks/s (NaN for a type not run), and the pool at its end. */
  record Phase(double waitRate, double burnRate, BlockingPoolStats pool) {}

  /** {@code args}: {@code blocking [--seconds S] [--warmup S] [--iterations N]}. */
  public static int run(String[] args, String commandLine, PrintStream out, Progress progress) {
    int seconds = 10;
    int warmup = 6;
    int iterations = 3;
    List<String> list = Arrays.asList(args).subList(1, args.length);
    try {
      for (int i = 0; i < list.size(); i += 2) {
        String value = i + 1 < list.size() ? list.get(i + 1) : null;
        if (value == null) throw new UsageException(list.get(i) + " needs a value");
        int n = Integer.parseInt(value);
        if (n < 1 || n > 600) throw new UsageException(list.get(i) + " must be 1..600, not " + n);
        switch (list.get(i)) {
          case "--seconds" -> seconds = n;
          case "--warmup" -> warmup = n;
          case "--iterations" -> iterations = n;
          default -> throw new UsageException("unknown option " + list.get(i) + " (--seconds, --warmup, --iterations)");
        }
      }
    } catch (NumberFormatException | UsageException e) {
      System.err.println("pel bench blocking: " + e.getMessage());
      return Main.USAGE;
    }
    out.println("# PEL bench: a blocking type beside a CPU-bound one");
    out.println();
    out.println("command: `" + commandLine + "`");
    List<Phase> alone = new ArrayList<>();
    List<Phase> fixed = new ArrayList<>();
    List<Phase> pooled = new ArrayList<>();
    try {
      for (int i = 1; i <= iterations; i++) {
        progress.say("blocking: run " + i + " of " + iterations + ": CPU-bound type alone");
        alone.add(phase("", false, warmup, seconds));
        progress.say("blocking: run " + i + ": both types, blocking pool off (fixed routees)");
        fixed.add(phase(POOL_OFF, true, warmup, seconds));
        progress.say("blocking: run " + i + ": both types, default settings");
        pooled.add(phase("", true, warmup, seconds));
      }
    } catch (Exception e) {
      out.println();
      out.println("FAILED: " + e);
      return Bench.FAILED;
    }
    double burnAlone = median(alone, Phase::burnRate);
    double waitFixed = median(fixed, Phase::waitRate);
    double burnFixed = median(fixed, Phase::burnRate);
    double waitPooled = median(pooled, Phase::waitRate);
    double burnPooled = median(pooled, Phase::burnRate);
    out.println();
    out.printf(Locale.ROOT, "%d cores; medians of %d runs, each on a fresh layer with %d s of warm-up and %d s measured. "
        + "`bench.wait`: Thread.sleep(%d ms), declared blocking, %,d in flight. `bench.burn`: cpumap's kernel, %,d in flight.%n",
        Runtime.getRuntime().availableProcessors(), iterations, warmup, seconds, WAIT_MILLIS, WAIT_IN_FLIGHT, BURN_IN_FLIGHT);
    out.println();
    out.println("| node | bench.wait tasks/s | bench.burn tasks/s | blocking pool at the end |");
    out.println("| --- | ---: | ---: | --- |");
    out.printf(Locale.ROOT, "| default, bench.burn alone | | %,.0f | |%n", burnAlone);
    out.printf(Locale.ROOT, "| blocking pool off (fixed routees) | %,.0f | %,.0f | |%n", waitFixed, burnFixed);
    BlockingPoolStats last = pooled.get(pooled.size() - 1).pool();
    out.printf(Locale.ROOT, "| default | %,.0f | %,.0f | %d threads (size %d) |%n", waitPooled, burnPooled, last.threads(), last.target());
    out.println();
    out.printf(Locale.ROOT, "bench.wait on the default node: %.1fx the fixed routees' (target 25x); bench.burn beside it: "
        + "%.2fx of bench.burn alone (target 0.9x)%n", waitPooled / waitFixed, burnPooled / burnAlone);
    return 0;
  }

  private static double median(List<Phase> phases, java.util.function.ToDoubleFunction<Phase> rate) {
    double[] values = phases.stream().mapToDouble(rate).sorted().toArray();
    return values[values.length / 2];
  }

  /** A fresh layer over {@code hocon}; the CPU-bound type runs, and the blocking one too if {@code withWait}. */
  private static Phase phase(String hocon, boolean withWait, int warmup, int seconds) throws Exception {
    try (ExecutionLayer layer = ExecutionLayer.start(ConfigFactory.parseString(hocon))) {
      layer.register(WAIT, (n, ctx) -> {
        Thread.sleep(WAIT_MILLIS);
        return n + 1;
      });
      layer.register(CpuMapWorkload.BURN, (i, ctx) -> Mix.burn(i, CpuMapWorkload.ROUNDS));
      AtomicBoolean measuring = new AtomicBoolean();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      AtomicLong waits = new AtomicLong();
      AtomicLong burns = new AtomicLong();
      List<Thread> drivers = new ArrayList<>();
      if (withWait) {
        drivers.add(driver("bench-wait-driver", WAIT_IN_FLIGHT, stop, permits -> {
          int n = (int) (System.nanoTime() & 0xffff);
          layer.submit(WAIT, n).whenComplete((result, error) -> {
            permits.release();
            if (error != null) failure.compareAndSet(null, error);
            else if (result != n + 1) failure.compareAndSet(null, new IllegalStateException("bench.wait(" + n + ") = " + result));
            else if (measuring.get()) waits.incrementAndGet();
          });
        }));
      }
      drivers.add(driver("bench-burn-driver", BURN_IN_FLIGHT, stop, permits -> {
        long i = System.nanoTime() & 0xffff;
        layer.submit(CpuMapWorkload.BURN, i).whenComplete((result, error) -> {
          permits.release();
          if (error != null) failure.compareAndSet(null, error);
          else if (measuring.get()) burns.incrementAndGet();
        });
      }));
      Thread.sleep(warmup * 1000L);
      measuring.set(true);
      long start = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      measuring.set(false);
      double elapsed = (System.nanoTime() - start) / 1e9;
      stop.set(true);
      for (Thread driver : drivers) driver.join();
      if (failure.get() != null) throw new IllegalStateException("a task failed", failure.get());
      return new Phase(withWait ? waits.get() / elapsed : Double.NaN, burns.get() / elapsed, layer.blockingPool());
    }
  }

  private interface Submission {
    void submit(Semaphore permits) throws Exception;
  }

  /** A thread that submits while it holds one of {@code inFlight} permits, until {@code stop}. */
  private static Thread driver(String name, int inFlight, AtomicBoolean stop, Submission submission) {
    Semaphore permits = new Semaphore(inFlight);
    Thread thread = new Thread(() -> {
      try {
        while (!stop.get()) {
          if (!permits.tryAcquire(10, java.util.concurrent.TimeUnit.MILLISECONDS)) continue;
          submission.submit(permits);
        }
        permits.acquire(inFlight); // every submitted task has completed
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, name);
    thread.start();
    return thread;
  }
}
