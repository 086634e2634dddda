package io.pel.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How the test JVM reads a node's output lines, whatever the node printed around the protocol. */
class ProtocolTest {

  @Test
  void aProtocolLineGluedAfterOutputWithoutALineBreakIsReadAndTheOutputKept() {
    Protocol.Line line = Protocol.split("unfinished line @@pel-testkit reply 7 printed");
    assertEquals("unfinished line ", line.text());
    assertEquals(new Protocol.Reply(7, "printed"), line.message());
  }

  @Test
  void aWholeProtocolLineHasNoText() {
    Protocol.Line line = Protocol.split("@@pel-testkit members 2 a#1,b#2");
    assertNull(line.text());
    assertEquals(new Protocol.Members(List.of("a#1", "b#2")), line.message());
  }

  @Test
  void linesThatOnlyLookLikeTheProtocolAreOutput() {
    for (String forged : List.of("@@pel-testkit reply", "@@pel-testkit reply x y", "@@pel-testkit what 1 2", "plain text")) {
      Protocol.Line line = Protocol.split(forged);
      assertEquals(forged, line.text());
      assertNull(line.message());
    }
  }
}
