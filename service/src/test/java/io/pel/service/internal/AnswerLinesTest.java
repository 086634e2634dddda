package io.pel.service.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.AsPublisher;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.reactivestreams.Publisher;

/**
 * {@link AnswerLines}: its lines are byte for byte what Jackson writes for the same object, and its chunks hold
 * every line once, in order, a lone line alone and the lines that waited together.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnswerLinesTest {

  private final ObjectMapper json = new ObjectMapper();
  private final AnswerLines answers = new AnswerLines(json);
  private ActorSystem<Void> system;

  @BeforeAll
  void start() {
    system = ActorSystem.create(Behaviors.empty(), "answer-lines-test");
  }

  @AfterAll
  void stop() {
    system.terminate();
  }

  /** What the service wrote before: a Jackson tree {@code {"index":n,<field>:value}} and a newline. */
  private byte[] jackson(long index, String field, Object value) throws Exception {
    ObjectNode node = json.createObjectNode();
    node.put("index", index);
    node.set(field, json.valueToTree(value));
    byte[] tree = json.writeValueAsBytes(node);
    byte[] line = Arrays.copyOf(tree, tree.length + 1);
    line[tree.length] = '\n';
    return line;
  }

  record Point(int x, String label) {}

  @Test
  void aResultLineIsWhatJacksonWritesForEveryKindOfResult() throws Exception {
    List<Object> results = new ArrayList<>(List.of("9f86d081884c7d65", "quote \" backslash \\ newline \n tab \t return \r \b \f control \u0001 \u001f del \u007f",
        "printable ascii ~!@#$%^&*()_+{}|:<>?`-=[];',./",
        "unicode: żółw, 漢字, emoji \uD83D\uDE00", "", 0L, -42L, Long.MAX_VALUE, 7, (short) 3, (byte) -1, true, false, 2.5, 1e300,
        Double.NaN, List.of(1, 2, 3), Map.of("k", "v"), new Point(1, "p")));
    results.add(null);
    for (int i = 0; i < results.size(); i++) {
      assertArrayEquals(jackson(i * 1_000_003L, "result", results.get(i)), answers.result(i * 1_000_003L, results.get(i)).toArray(),
          "result " + results.get(i));
    }
  }

  @Test
  void anErrorLineIsWhatJacksonWritesForItsMessage() throws Exception {
    String message = "line 3 is not JSON: Unexpected character ('b' (code 98)) \"quoted\" \\ \n\u0007 żółw";
    assertArrayEquals(jackson(3, "error", message), answers.error(3, message).toArray());
    String plain = "line 4 is longer than pel.http.max-line-size = 64 bytes";
    assertArrayEquals(jackson(4, "error", plain), answers.error(4, plain).toArray());
  }

  @Test
  void aResultJacksonCannotWriteIsRefusedWithItsClass() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> answers.result(1, new Object()));
    assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
  }

  private static ByteString line(int i) {
    return ByteString.fromString("{\"index\":" + i + ",\"result\":\"" + "ab".repeat(32) + "\"}\n");
  }

  @Test
  void aLoneLineLeavesAloneAndUnchanged() throws Exception {
    List<ByteString> chunks = Source.single(line(0)).via(AnswerLines.chunks()).runWith(Sink.seq(), system)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(List.of(line(0)), chunks);
  }

  @Test
  void linesThatWaitForTheConnectionLeaveAsOneChunk() throws Exception {
    int count = AnswerLines.MAX_CHUNK_BYTES / line(0).size() / 2; // well within one chunk
    List<ByteString> chunks = gatheredWhileNobodyReads(count);
    assertEquals(1, chunks.size(), "chunks " + chunks.size());
    assertEquals(all(count), chunks.get(0));
  }

  @Test
  void moreLinesThanOneChunkHoldsLeaveInOrderInChunksOfAtMostTheLimit() throws Exception {
    int count = AnswerLines.MAX_CHUNK_BYTES / line(0).size() * 5;
    List<ByteString> chunks = Source.range(0, count - 1).map(AnswerLinesTest::line).via(AnswerLines.chunks())
        .runWith(Sink.seq(), system).toCompletableFuture().get(10, TimeUnit.SECONDS);
    ByteString joined = ByteString.emptyByteString();
    for (ByteString chunk : chunks) {
      assertTrue(chunk.size() <= AnswerLines.MAX_CHUNK_BYTES, "a chunk of " + chunk.size() + " bytes");
      joined = joined.concat(chunk);
    }
    assertEquals(all(count), joined);
  }

  /**
   * Runs {@code count} lines into the chunks with nobody reading until the lines have all gone in (their source
   * has completed), then reads.
   */
  private List<ByteString> gatheredWhileNobodyReads(int count) throws Exception {
    Pair<CompletionStage<Done>, Publisher<ByteString>> run = Source.range(0, count - 1).map(AnswerLinesTest::line)
        .watchTermination(Keep.right())
        .via(AnswerLines.chunks())
        .toMat(Sink.asPublisher(AsPublisher.WITHOUT_FANOUT), Keep.both())
        .run(system);
    run.first().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return Source.fromPublisher(run.second()).runWith(Sink.seq(), system).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static ByteString all(int count) {
    ByteString all = ByteString.emptyByteString();
    for (int i = 0; i < count; i++) all = all.concat(line(i));
    return all;
  }
}
