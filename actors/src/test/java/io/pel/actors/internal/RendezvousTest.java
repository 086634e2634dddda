package io.pel.actors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RendezvousTest {

  private static List<RouteeState> routees(int n) {
    List<RouteeState> list = new ArrayList<>();
    for (int i = 0; i < n; i++) list.add(new RouteeState(null, "pekko://pel@10.0.0." + i + ":2552/user/worker-" + i, true, 16));
    return list;
  }

  private static Map<String, RouteeState> assign(List<RouteeState> routees, int keys) {
    Map<String, RouteeState> homes = new HashMap<>();
    for (int k = 0; k < keys; k++) homes.put("key-" + k, Rendezvous.pick(Rendezvous.hash("key-" + k), routees, null));
    return homes;
  }

  @Test
  void keysSpreadEvenly() {
    Map<RouteeState, Integer> load = new HashMap<>();
    assign(routees(10), 100_000).values().forEach(r -> load.merge(r, 1, Integer::sum));
    assertEquals(10, load.size());
    for (int count : load.values()) assertTrue(count > 9_000 && count < 11_000, "uneven: " + load.values());
  }

  @Test
  void removingOneOfTenRouteesMovesOnlyItsKeys() {
    List<RouteeState> ten = routees(10);
    Map<String, RouteeState> before = assign(ten, 20_000);
    RouteeState gone = ten.get(3);
    List<RouteeState> nine = new ArrayList<>(ten);
    nine.remove(gone);
    Map<String, RouteeState> after = assign(nine, 20_000);
    int moved = 0;
    for (var e : before.entrySet()) {
      if (e.getValue() != gone) assertSame(e.getValue(), after.get(e.getKey()), "key " + e.getKey() + " moved needlessly");
      else moved++;
    }
    assertTrue(moved > 1_600 && moved < 2_400, "about 1/10 of the keys move, moved " + moved);
  }

  @Test
  void addingARouteeTakesAboutOneNthAndMovesNothingElse() {
    List<RouteeState> ten = routees(10);
    Map<String, RouteeState> before = assign(ten, 22_000);
    List<RouteeState> eleven = new ArrayList<>(ten);
    RouteeState added = routees(11).get(10);
    eleven.add(added);
    int taken = 0;
    for (var e : assign(eleven, 22_000).entrySet()) {
      if (e.getValue() == added) taken++;
      else assertSame(before.get(e.getKey()), e.getValue());
    }
    assertTrue(taken > 1_600 && taken < 2_400, "about 1/11 of the keys move to the new routee, moved " + taken);
  }

  @Test
  void theHashIsStableAcrossRuns() {
    // Nodes of a cluster must agree; a fixed value catches an accidental change of the function.
    assertEquals(-3772241768523977117L, Rendezvous.hash("account-42"));
  }

  @Test
  void aRetryAvoidsTheRouteeThatFailedUnlessItIsTheOnlyOne() {
    List<RouteeState> three = routees(3);
    long key = Rendezvous.hash("k");
    RouteeState home = Rendezvous.pick(key, three, null);
    RouteeState second = Rendezvous.pick(key, three, home);
    assertTrue(second != home);
    assertSame(home, Rendezvous.pick(key, List.of(home), home));
  }
}
