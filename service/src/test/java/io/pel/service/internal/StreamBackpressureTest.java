package io.pel.service.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pel.actors.ExecutionLayer;
import io.pel.service.DuplexStream;
import io.pel.service.HttpService;
import io.pel.service.HttpSettings;
import io.pel.service.ServiceTypes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A client that does not read its answers stops the service reading its lines: memory does not grow. */
class StreamBackpressureTest {

  private static final long LINES = 500_000;
  private static final int CHUNK = 1_000;

  @Test
  void aClientThatDoesNotReadStallsItsOwnIntakeAndThenGetsEveryAnswer() throws Exception {
    try (ExecutionLayer layer = ExecutionLayer.start(ConfigFactory.parseString("pel.workers-per-node = 2"))) {
      HttpService service = HttpService.start(layer, ServiceTypes.load(layer), null, new HttpSettings("127.0.0.1", 0, "", 1024, Long.MAX_VALUE, 4, 64, 16 << 20));
      try (DuplexStream stream = new DuplexStream(service.url() + "v1/streams/test.increment", 120_000)) {
        AtomicLong sent = new AtomicLong();
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
          try {
            // 200-byte lines (JSON allows the spaces): 100 MB in all, far more than socket buffers hold. The
            // service answers what it took in until the socket buffers hold its answers (some MB), then stops.
            String chunk = ("1" + " ".repeat(198) + "\n").repeat(CHUNK);
            for (long i = 0; i < LINES; i += CHUNK) {
              stream.send(chunk);
              sent.addAndGet(CHUNK);
            }
            stream.end();
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
        // Nobody reads the answers: the writer must stall (its socket full, the service no longer reading).
        long last = -1;
        long stalledSince = System.nanoTime();
        while (System.nanoTime() - stalledSince < TimeUnit.SECONDS.toNanos(2)) {
          assertTrue(!writing.isDone(), "all " + LINES + " lines were taken in without a single answer read");
          long now = sent.get();
          if (now != last) {
            last = now;
            stalledSince = System.nanoTime();
          }
          Thread.sleep(50);
        }
        System.out.println("StreamBackpressureTest: the intake stalled after " + last + " of " + LINES + " lines");
        assertTrue(last < LINES / 2, "the intake stalled after " + last + " of " + LINES + " lines");

        assertEquals(200, stream.status());
        long answers = 0;
        for (String line; (line = stream.readLine()) != null; answers++) {
          if (answers % 25_000 == 0) assertEquals("{\"index\":" + answers + ",\"result\":2}", line);
        }
        writing.get(60, TimeUnit.SECONDS);
        assertEquals(LINES, answers, "every line answered once the client read");
      }
    }
  }
}
