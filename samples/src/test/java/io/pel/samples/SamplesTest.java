package io.pel.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pel.actors.ExecutionLayer;
import io.pel.samples.ledger.Block;
import io.pel.samples.ledger.BlockGenerator;
import io.pel.samples.ledger.Execution;
import io.pel.samples.ledger.ParallelExecution;
import io.pel.samples.risk.Portfolio;
import io.pel.samples.risk.RiskJob;
import io.pel.samples.risk.RiskTasks;
import io.pel.samples.risk.VarRequest;
import io.pel.samples.risk.VarResult;
import io.pel.samples.tasks.TinyTasks;
import io.pel.samples.wordcount.WordCount;
import io.pel.samples.wordcount.Words;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/**
 * {@link Samples#registerAll} alone lets a node run every sample's tasks, with every message written and
 * read back by PEL's serializer as if it crossed to another node: what a cluster node of {@code ./pel
 * start} does for a client. The node starts from plain config: the samples' wire classes come with their
 * {@code reference.conf}, beside those of PEL's own modules.
 */
class SamplesTest {

  @Test
  void everySamplesTasksRunOnALayerThatOnlyRanRegisterAllWithEveryMessageSerialized() throws Exception {
    var config = ConfigFactory.parseString("pekko.actor.serialize-messages = on\npel.workers-per-node = 2");
    try (ExecutionLayer layer = ExecutionLayer.start(config)) {
      Samples.registerAll(layer);

      assertEquals(TinyTasks.expectedChecksum(2_000), TinyTasks.run(layer, 2_000, 200).checksum());

      // Chunks of 500 paths keep tails of 200 losses: results of a real size, not toy ones.
      VarRequest request = new VarRequest(11, 20_000, 500, Portfolio.sample());
      VarResult onPel = layer.submit(RiskTasks.VAR, request).toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertTrue(onPel.sameFigures(RiskJob.runSequential(request)), onPel::toString);

      String text = "To be, or not to be: that is the question. Whether 'tis nobler in the mind to suffer ".repeat(200);
      WordCount.Result counted = WordCount.run(layer, Source.single(ByteString.fromString(text)), 1_024)
          .toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertEquals(Words.count(text), counted.counts());

      Block block = BlockGenerator.generate(BlockGenerator.Spec.of(40, 1_000, 3, 2));
      assertTrue(ParallelExecution.run(layer, block, 16).outcome().sameAs(Execution.runSequentially(block)));

      assertEquals(0, layer.stats().failed());
    }
  }
}
