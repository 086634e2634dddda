package io.pel.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.actors.ExecutionLayer;
import io.pel.cluster.internal.KryoSerializer;
import io.pel.cluster.internal.KryoSettings;
import io.pel.samples.risk.ChunkRequest;
import io.pel.samples.risk.Portfolio;
import io.pel.samples.risk.TailLosses;
import io.pel.samples.risk.VarRequest;
import io.pel.samples.risk.VarResult;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every class a sample sends between nodes, through PEL's own serializer on a node of the samples. */
class SamplesWireRegistrarTest {

  private static ExecutionLayer layer;
  private static SerializerWithStringManifest kryo;

  @BeforeAll
  static void startNode() {
    layer = Samples.start(Map.of());
    kryo = (SerializerWithStringManifest) SerializationExtension.get(Adapter.toClassic(layer.system()))
        .serializerByIdentity().apply(KryoSerializer.IDENTIFIER);
  }

  @AfterAll
  static void stopNode() {
    if (layer != null) layer.close();
  }

  private static Object roundTrip(Object value) throws NotSerializableException {
    return kryo.fromBinary(kryo.toBinary(value), kryo.manifest(value));
  }

  @Test
  void theSamplesReferenceConfAddsItsRegistrarBesideThoseOfPelsModules() {
    Map<String, String> registrars = KryoSettings.fromConfig(layer.system().settings().config()).registrars().stream()
        .collect(Collectors.toMap(KryoSettings.Registrar::setting, KryoSettings.Registrar::className));
    assertEquals(SamplesWireRegistrar.class.getName(), registrars.get("pel.serialization.module-registrars.samples"), registrars.toString());
    for (String module : List.of("actors", "jobs", "streams")) {
      assertTrue(registrars.containsKey("pel.serialization.module-registrars." + module), module + " in " + registrars);
    }
  }

  @Test
  void theRiskSamplesInputsAndResultsRoundTrip() throws Exception {
    Portfolio portfolio = Portfolio.sample();
    for (Object value : List.of(
        portfolio,
        portfolio.assets().get(0),
        portfolio.options().get(1),
        new VarRequest(42, 1_000_000, 7_813, portfolio),
        new ChunkRequest(42, 3, 7_813, 7_813, portfolio),
        TailLosses.of(3, new double[] {1.5, -2.0, 9.25, 4.0}, 3),
        new VarResult(1_000_000, 128, 10_000, 38_893.08, 44_120.07))) {
      assertEquals(value, roundTrip(value), value.getClass().getName());
    }
    assertArrayEquals(portfolio.correlation(), ((Portfolio) roundTrip(portfolio)).correlation());
  }

  @Test
  void theOtherSamplesValuesAreRegisteredByKryoOrPel() throws Exception {
    // Inside a message, as a task carries its payload: Kryo registers Long and String, PEL the collections.
    ArrayList<Object> values = new ArrayList<>(List.of(41L, "a chunk of text", new HashMap<>(Map.of("word", 3L))));
    assertEquals(values, roundTrip(values));
  }

  @Test
  void aMatrixHeaderClaimingMoreRowsThanBytesIsRefusedBeforeAnyAllocation() throws Exception {
    byte[] matrix = kryo.toBinary(new double[][] {{1.0}, {2.0}});
    assertEquals(2, matrix[0], "a row count of 2, as one byte");
    // The same rows behind a count of 2^28 (a varint of five bytes): a gigabyte of row references.
    byte[] forged = new byte[matrix.length + 4];
    System.arraycopy(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01}, 0, forged, 0, 5);
    System.arraycopy(matrix, 1, forged, 5, matrix.length - 1);
    NotSerializableException e = assertThrows(NotSerializableException.class, () -> kryo.fromBinary(forged, kryo.manifest(new double[0][])));
    assertTrue(e.getMessage().contains("claims 268435456 rows but only"), e.getMessage());
  }
}
