package io.pel.samples;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.pel.cluster.KryoRegistrar;
import io.pel.samples.ledger.Entity;
import io.pel.samples.ledger.LedgerTasks;
import io.pel.samples.ledger.Receipt;
import io.pel.samples.ledger.Transaction;
import io.pel.samples.risk.ChunkRequest;
import io.pel.samples.risk.Portfolio;
import io.pel.samples.risk.TailLosses;
import io.pel.samples.risk.VarRequest;
import io.pel.samples.risk.VarResult;

/**
 * Registers the samples' task inputs and results with PEL's Kryo serializer, so that they can cross
 * between the nodes of a cluster. This module's {@code reference.conf} names it ({@code
 * pel.serialization.module-registrars.samples}), so every node with the samples' jar runs it; ids never
 * change meaning once released.
 *
 * <pre>
 * 1000 risk VarRequest   1001 risk VarResult   1002 risk ChunkRequest   1003 risk TailLosses
 * 1004 risk Portfolio    1005 Portfolio.Asset  1006 Portfolio.Option    1007 double[][] (custom)
 * 1008 ledger Transaction 1009 Transaction.Kind 1010 Receipt            1011 Entity.Account
 * 1012 Entity.Pool       1013 Entity.Market    1014 ExecuteBatch        1015 BatchResult
 * </pre>
 *
 * <p>The tasks sample carries {@code Long}s, and wordcount {@code String} chunks and words with PEL's
 * counting accumulators: Kryo and PEL register those already.
 */
public final class SamplesWireRegistrar implements KryoRegistrar {

  @Override
  public void registerClasses(Registrations registrations) {
    registrations.register(VarRequest.class, 1000);
    registrations.register(VarResult.class, 1001);
    registrations.register(ChunkRequest.class, 1002);
    registrations.register(TailLosses.class, 1003);
    registrations.register(Portfolio.class, 1004);
    registrations.register(Portfolio.Asset.class, 1005);
    registrations.register(Portfolio.Option.class, 1006);
    registrations.register(double[][].class, 1007, new DoubleMatrixSerializer());
    registrations.register(Transaction.class, 1008);
    registrations.register(Transaction.Kind.class, 1009);
    registrations.register(Receipt.class, 1010);
    registrations.register(Entity.Account.class, 1011);
    registrations.register(Entity.Pool.class, 1012);
    registrations.register(Entity.Market.class, 1013);
    registrations.register(LedgerTasks.ExecuteBatch.class, 1014);
    registrations.register(LedgerTasks.BatchResult.class, 1015);
  }

  /**
   * A matrix as its row count and its rows. Kryo's own array serializer would allocate as many rows as a
   * (possibly corrupt) header claims; this one first checks that so many rows could still follow.
   */
  static final class DoubleMatrixSerializer extends Serializer<double[][]> {

    DoubleMatrixSerializer() {
      setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, double[][] rows) {
      output.writeVarInt(rows.length, true);
      for (double[] row : rows) kryo.writeObject(output, row);
    }

    @Override
    public double[][] read(Kryo kryo, Input input, Class<? extends double[][]> type) {
      int count = input.readVarInt(true);
      int left = input.limit() - input.position();
      if (count > left) throw new KryoException("a matrix header claims " + count + " rows but only " + left + " bytes are left");
      double[][] rows = new double[count][];
      for (int i = 0; i < count; i++) rows[i] = kryo.readObject(input, double[].class);
      return rows;
    }
  }
}
