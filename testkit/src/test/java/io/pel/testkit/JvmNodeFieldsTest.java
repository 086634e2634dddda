package io.pel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link JvmNode#fields}: how a node command's {@code key=value} report is read. */
class JvmNodeFieldsTest {

  @Test
  void keyValueWordsBecomeFieldsInOrder() {
    Map<String, String> fields = JvmNode.fields("results=600 right=600 nodes=a=1,b=2\n");
    assertEquals(List.of("results", "right", "nodes"), List.copyOf(fields.keySet()));
    assertEquals("a=1,b=2", fields.get("nodes"), "a value may hold '=' itself");
  }

  @Test
  void wordsWithoutAKeyAreSkippedAndALaterKeyWins() {
    Map<String, String> fields = JvmNode.fields("  done  state=RUNNING\n=orphan  state=COMPLETED empty= ");
    assertEquals(Map.of("state", "COMPLETED", "empty", ""), fields);
    assertEquals(Map.of(), JvmNode.fields(""));
  }
}
