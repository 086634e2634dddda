package io.pel.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.typesafe.config.ConfigFactory;
import io.pel.testkit.TestTls;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A client node learns of routees joining and leaving the cluster as they do, without polling. Both nodes share the test TLS identity. */
class AwaitRouteesTest {

  @Test
  void aClientSeesAWorkerNodesRouteesArriveAndLeave() throws Exception {
    try (ExecutionLayer worker = Layers.start(TestTls.hocon() + "pel.workers-per-node = 3")) {
      assertEquals(3, Layers.await(worker.awaitRoutees(n -> n == 3)), "true now: at once");
      ExecutionLayer client = ExecutionLayer.start(ConfigFactory.parseString(
          TestTls.hocon() + "pel.node.roles = [client]\npel.node.seed-nodes = [\"" + worker.system().address() + "\"]"));
      try {
        CompletableFuture<Integer> none = client.awaitRoutees(n -> n < 0).toCompletableFuture();
        assertEquals(3, Layers.await(client.awaitRoutees(n -> n == 3)), "the worker's routees, once it is Up");
        CompletableFuture<Integer> gone = client.awaitRoutees(n -> n == 0).toCompletableFuture();
        assertFalse(gone.isDone(), "the worker is still there");
        worker.close();
        assertEquals(0, Layers.await(gone), "the worker left: its routees are retired");
        assertFalse(none.isDone(), "a condition never met never completes");
      } finally {
        client.close();
      }
    }
  }
}
