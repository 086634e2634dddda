package io.pel.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * One end-to-end run with {@code pekko.actor.serialize-messages = on}: every message between PEL's
 * actors is written with Kryo and read back, as if it crossed to another node.
 */
class SerializedMessagesTest {

  /** A user payload, registered through {@code pel.serialization.classes}. */
  public record Order(String id, long cents, List<String> tags) {}

  /** A user result. */
  public record Priced(String id, long totalCents) {}

  private static final TaskType<Order, Priced> PRICE = TaskType.of("price", Order.class, Priced.class);
  private static final TaskType<Integer, Long> BASKET = TaskType.of("basket", Integer.class, Long.class);

  @Test
  void tasksFailuresAndFanOutWorkWithEveryMessageSerialized() throws Exception {
    String config = """
        pekko.actor.serialize-messages = on
        pel.workers-per-node = 2
        pel.retry.max-attempts = 2
        pel.serialization.classes = [
          "io.pel.actors.SerializedMessagesTest$Order",
          "io.pel.actors.SerializedMessagesTest$Priced"
        ]
        """;
    try (ExecutionLayer layer = Layers.start(config)) {
      layer.register(PRICE, (order, ctx) -> {
        if (order.cents() < 0) throw new IllegalStateException("negative price in " + order.id());
        return new Priced(order.id(), order.cents() * (1 + order.tags().size()));
      });
      layer.registerAsync(BASKET, (n, ctx) -> {
        List<CompletableFuture<Priced>> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) parts.add(ctx.submit(PRICE, new Order("b" + i, i, List.of())).toCompletableFuture());
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
            .thenApply(v -> parts.stream().mapToLong(p -> p.join().totalCents()).sum());
      });

      List<CompletionStage<Priced>> runs = new ArrayList<>();
      for (int i = 0; i < 200; i++) runs.add(layer.submit(PRICE, "k" + (i % 7), new Order("o" + i, i, List.of("a", "b"))));
      List<CompletableFuture<Priced>> done = Layers.awaitAll(runs);
      for (int i = 0; i < 200; i++) assertEquals(new Priced("o" + i, 3L * i), done.get(i).join());

      assertEquals(45L, Layers.await(layer.submit(BASKET, 10)));

      ExecutionException e = assertThrows(ExecutionException.class,
          () -> Layers.await(layer.submit(PRICE, new Order("bad", -1, List.of()))));
      TaskFailedException failed = assertInstanceOf(TaskFailedException.class, e.getCause());
      assertEquals(2, failed.attempts());
      // The failure crossed the (simulated) wire: it comes back described, not as the original object.
      RemoteTaskException remote = assertInstanceOf(RemoteTaskException.class, failed.getCause());
      assertEquals("java.lang.IllegalStateException", remote.originalClass());
      assertTrue(remote.getMessage().contains("negative price in bad"), remote.getMessage());
      assertTrue(remote.getStackTrace().length > 0, "the remote stack trace is kept");
    }
  }
}
