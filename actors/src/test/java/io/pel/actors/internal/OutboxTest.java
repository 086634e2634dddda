package io.pel.actors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The outbox's batches: per destination, in order, cut by count and by weight. */
class OutboxTest {

  private final List<String> sent = new ArrayList<>();
  private final Outbox<String, Integer> outbox = new Outbox<>(4, 100, (to, values) -> sent.add(to + values));

  @Test
  void aBatchLeavesAtItsCountOrOnFlushInOrderPerDestination() {
    outbox.add("a", 1);
    outbox.add("b", 2);
    outbox.add("a", 3);
    outbox.add("a", 4);
    outbox.add("a", 5);
    assertEquals(List.of("a[1, 3, 4, 5]"), sent, "a reached four values");
    outbox.flush();
    assertEquals(List.of("a[1, 3, 4, 5]", "b[2]"), sent);
  }

  @Test
  void aBatchLeavesBeforeItWouldOutgrowItsWeightAndAHeavyValueLeavesAlone() {
    outbox.add("a", 1, 40);
    outbox.add("a", 2, 40);
    assertEquals(List.of(), sent);
    outbox.add("a", 3, 40); // 120 would be over 100: 1 and 2 leave first
    assertEquals(List.of("a[1, 2]"), sent);
    outbox.add("a", 4, 500); // alone over the limit: 3 leaves, then 4 alone
    assertEquals(List.of("a[1, 2]", "a[3]", "a[4]"), sent);
    outbox.add("a", 5, 60);
    outbox.add("a", 6, 40); // exactly the limit: leaves at once
    assertEquals(List.of("a[1, 2]", "a[3]", "a[4]", "a[5, 6]"), sent);
    outbox.add("a", 7);
    outbox.flush();
    assertEquals("a[7]", sent.get(sent.size() - 1), "unweighted values weigh nothing");
  }
}
