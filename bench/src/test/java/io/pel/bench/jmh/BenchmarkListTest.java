package io.pel.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;

/**
 * The benchmark list that JMH's annotation processor writes at compile time names every {@code @Benchmark}
 * method of PEL's benchmark classes: a build that loses the processor, and so ships no runnable
 * benchmarks, fails here. JMH itself is not run.
 */
class BenchmarkListTest {

  private static final List<Class<?>> BENCHMARKS =
      List.of(RoutingBenchmark.class, KryoRoundTripBenchmark.class, DispatchBenchmark.class);

  @Test
  void listsEveryBenchmarkMethodOfEachClass() throws IOException {
    Set<String> listed;
    try (InputStream list = BenchmarkListTest.class.getResourceAsStream(BenchmarkList.BENCHMARK_LIST)) {
      assertNotNull(list, BenchmarkList.BENCHMARK_LIST + " is not on the class path: did JMH's annotation processor run?");
      listed = BenchmarkList.readBenchmarkList(list).stream()
          .map(BenchmarkListEntry::getUsername)
          .collect(Collectors.toCollection(TreeSet::new));
    }
    for (Class<?> type : BENCHMARKS) {
      Set<String> methods = Arrays.stream(type.getDeclaredMethods())
          .filter(method -> method.isAnnotationPresent(Benchmark.class))
          .map(Method::getName)
          .map(name -> type.getName() + "." + name)
          .collect(Collectors.toCollection(TreeSet::new));
      assertFalse(methods.isEmpty(), type.getName() + " has no @Benchmark methods");
      Set<String> listedOfType = listed.stream()
          .filter(name -> name.startsWith(type.getName() + "."))
          .collect(Collectors.toCollection(TreeSet::new));
      assertEquals(methods, listedOfType, "benchmarks of " + type.getName() + " in " + BenchmarkList.BENCHMARK_LIST);
    }
  }
}
