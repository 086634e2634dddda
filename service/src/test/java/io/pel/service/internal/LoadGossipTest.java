package io.pel.service.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.actors.ExecutionLayer;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.Test;

/** The cluster's load from the nodes' reports, and a report's way between nodes. */
class LoadGossipTest {

  private static final String A = "pekko://pel@10.0.0.1:25520";
  private static final String B = "pekko://pel@10.0.0.2:25520";
  private static final String C = "pekko://pel@10.0.0.3:25520";

  private static LoadGossip.Report report(String node, double busy, double rate, int routees, long waiting, long at) {
    return new LoadGossip.Report(node, busy, rate, busy > 0 ? rate / busy : 0, routees, waiting, at);
  }

  @Test
  void theClusterLoadSumsTheFreshReportsOfWorkersUpOnly() {
    Map<String, LoadGossip.Report> reports = Map.of(
        A, report(A, 0.9, 900, 2, 10, 1_000),
        B, report(B, 0.5, 500, 2, 5, 1_000),
        C, report(C, 1.0, 1000, 2, 99, 100)); // C stopped reporting long ago
    ScaleAdvisor.Load load = LoadGossip.aggregate(reports, List.of(A, B, C), 500);
    assertEquals(3, load.nodes(), "every worker Up counts as a node, reporting or not");
    assertEquals(1400, load.completedPerSecond(), 1e-9);
    assertEquals(2000, load.trueRatePerSecond(), 1e-9, "1,000/s each if always busy");
    assertEquals(2, load.busyNodes());
    assertEquals(15, load.waiting());
    assertEquals(0.7, LoadGossip.utilisation(reports, List.of(A, B, C), 500), 1e-9);
    ScaleAdvisor.Load withoutB = LoadGossip.aggregate(reports, List.of(A), 500);
    assertEquals(1, withoutB.nodes(), "a member no longer Up is left out");
    assertEquals(900, withoutB.completedPerSecond(), 1e-9);
    assertTrue(Double.isNaN(LoadGossip.utilisation(reports, List.of(), 500)), "no report: no utilisation");
  }

  @Test
  void aReportTravelsThroughPelsSerializerInsideTheReplicatedMap() throws Exception {
    try (ExecutionLayer layer = ExecutionLayer.start()) {
      Serialization serialization = SerializationExtension.get(Adapter.toClassic(layer.system()));
      LoadGossip.Report report = report(A, 0.25, 250, 4, 3, 42);
      Object back = serialization.deserialize(serialization.serialize(report).get(), LoadGossip.Report.class).get();
      assertEquals(report, back);
      SelfUniqueAddress self = DistributedData.get(layer.system()).selfUniqueAddress();
      LWWMap<String, LoadGossip.Report> map = LWWMap.<String, LoadGossip.Report>empty().put(self, A, report);
      byte[] bytes = serialization.serialize(map).get();
      @SuppressWarnings("unchecked")
      LWWMap<String, LoadGossip.Report> copy = (LWWMap<String, LoadGossip.Report>) serialization.deserialize(bytes,
          serialization.findSerializerFor(map).identifier(), serialization.findSerializerFor(map) instanceof org.apache.pekko.serialization.SerializerWithStringManifest s
              ? s.manifest(map) : "").get();
      assertEquals(Map.of(A, report), copy.getEntries());
    }
  }
}
