package io.pel.actors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pel.cluster.internal.ContainedValue;
import io.pel.cluster.internal.KryoCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireValuesTest {

  private final KryoCodec codec = KryoCodec.fromConfig(ConfigFactory.load());
  private final WireValues wire = new WireValues(codec, true);

  @Test
  void aBoxedPrimitiveIsNotWrittenAheadAndWeighsWhatItsLargestTakes() throws Exception {
    for (Object value : List.<Object>of(Long.MIN_VALUE, 7, Math.PI, true, 1.5f, (short) 3, (byte) 4, 'x')) {
      assertSame(value, wire.ahead(value), value.getClass().getName());
      long written = codec.valueToBinary(value).length;
      assertTrue(written <= WireValues.BOXED_BYTES, value.getClass().getName() + " takes " + written + " bytes");
      assertEquals(WireValues.OVERHEAD_BYTES + WireValues.BOXED_BYTES, WireValues.weight(value));
    }
  }

  @Test
  void aStringIsNotWrittenAheadAndWeighsAtLeastWhatItTakes() throws Exception {
    for (String text : List.of("", "x".repeat(10_000), "été ✓".repeat(1_000), "\uD83D\uDE00".repeat(500))) {
      assertSame(text, wire.ahead(text));
      long written = codec.valueToBinary(text).length;
      long weight = WireValues.weight(text) - WireValues.OVERHEAD_BYTES;
      assertTrue(written <= weight, text.length() + " chars take " + written + " bytes, weigh " + weight);
    }
  }

  @Test
  void anyOtherValueIsWrittenAheadAndWeighsItsBytes() throws Exception {
    byte[] blob = new byte[10_000];
    ContainedValue.Written written = assertInstanceOf(ContainedValue.Written.class, wire.ahead(blob));
    assertEquals(codec.valueToBinary(blob).length, written.size());
    assertEquals(WireValues.OVERHEAD_BYTES + written.size(), WireValues.weight(written));
    assertSame(null, wire.ahead(null));
    assertEquals(WireValues.OVERHEAD_BYTES, WireValues.weight(null));
  }
}
