package io.pel.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Task types of generic inputs and outputs: named in full, equal only to the same full types, checked by erased class. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TypeRefTest {

  private static final TaskType<List<String>, Map<String, Long>> COUNT =
      TaskType.of("typeref.count", new TypeRef<List<String>>() {}, new TypeRef<Map<String, Long>>() {});

  private ExecutionLayer layer;

  @BeforeAll
  void start() {
    layer = Layers.start("pel.workers-per-node = 2");
    layer.register(COUNT, (words, ctx) -> {
      Map<String, Long> counts = new java.util.TreeMap<>();
      for (String word : words) counts.merge(word, 1L, Long::sum);
      return counts;
    });
  }

  @AfterAll
  void stop() {
    layer.close();
  }

  @Test
  void aGenericTaskTypeRunsWithoutCasts() throws Exception {
    Map<String, Long> counts = Layers.await(layer.submit(COUNT, List.of("a", "b", "a")));
    assertEquals(Map.of("a", 2L, "b", 1L), counts);
  }

  @Test
  void typesAreEqualOnlyWhenTheirFullTypesAre() {
    TypeRef<List<String>> strings = new TypeRef<>() {};
    assertEquals(new TypeRef<List<String>>() {}, strings);
    assertEquals(strings.hashCode(), new TypeRef<List<String>>() {}.hashCode());
    assertNotEquals(new TypeRef<List<Integer>>() {}, strings);
    assertEquals(List.class, strings.rawType());
    assertEquals("List<String>", strings.simpleName());
    assertEquals(TypeRef.of(Long.class), new TypeRef<Long>() {});
    assertEquals(TaskType.of("t", Long.class, Long.class), TaskType.of("t", new TypeRef<Long>() {}, TypeRef.of(Long.class)));
    assertNotEquals(COUNT, TaskType.of("typeref.count", new TypeRef<List<Integer>>() {}, new TypeRef<Map<String, Long>>() {}));
    assertEquals("typeref.count(List<String> -> Map<String, Long>)", COUNT.toString());
  }

  @Test
  void submittingUnderAnotherFullTypeIsRefusedNamingBoth() {
    TaskType<List<Integer>, Map<String, Long>> other =
        TaskType.of(COUNT.name(), new TypeRef<List<Integer>>() {}, new TypeRef<Map<String, Long>>() {});
    var failure = assertThrows(ExecutionException.class, () -> layer.submit(other, List.of(1)).toCompletableFuture().get());
    var refused = assertInstanceOf(IllegalArgumentException.class, failure.getCause());
    assertTrue(refused.getMessage().contains("List<String>") && refused.getMessage().contains("List<Integer>"), refused.getMessage());
  }

  @Test
  void anInputOfTheWrongErasedClassIsRefused() {
    @SuppressWarnings({"unchecked", "rawtypes"}) // what a caller past the compiler's checks could do
    TaskType<Object, Object> raw = (TaskType) COUNT;
    var failure = assertThrows(ExecutionException.class, () -> layer.submit(raw, "not a list").toCompletableFuture().get());
    var refused = assertInstanceOf(IllegalArgumentException.class, failure.getCause());
    assertTrue(refused.getMessage().contains("java.util.List") && refused.getMessage().contains("java.lang.String"), refused.getMessage());
    // and the layer goes on
    assertEquals(Map.of("x", 1L), layer.submit(COUNT, List.of("x")).toCompletableFuture().join());
  }

  @Test
  void aTypeRefWithoutAConcreteTypeIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new TypeRef<List<?>>() {});
    assertThrows(IllegalArgumentException.class, TypeRefTest::ofTypeVariable);
    assertThrows(NullPointerException.class, () -> TypeRef.of(null));
  }

  private static <T> TypeRef<List<T>> ofTypeVariable() {
    return new TypeRef<List<T>>() {};
  }
}
