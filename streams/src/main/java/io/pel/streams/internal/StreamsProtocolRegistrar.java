package io.pel.streams.internal;

import io.pel.cluster.KryoRegistrar;
import io.pel.streams.Aggregators;

/**
 * Registers the streams module's wire protocol with PEL's Kryo serializer under fixed ids 300&ndash;399.
 * Named in this module's {@code reference.conf}; ids never change meaning once released, and a retired
 * id is never reused.
 *
 * <pre>
 * 300 PartitionStore.Merge   301 PartitionStore.Drain   302 PartitionStore.Discard
 * 303 PartitionStore.Drained 304 PartitionStore.Done    305 (retired: KeyedPartials)
 * 306 PartitionStore.Partials
 * 310 Aggregators.LongValue  311 Aggregators.DoubleSum  312 Aggregators.Average  313 Aggregators.Extreme
 * </pre>
 *
 * <p>The elements, keys and user accumulators inside a combine, a merge or a drained partition are the
 * user's: in a cluster their classes must be registered too ({@code pel.serialization.classes} or an
 * application registrar).
 */
public final class StreamsProtocolRegistrar implements KryoRegistrar {

  @Override
  public void registerClasses(Registrations registrations) {
    registrations.register(PartitionStore.Merge.class, 300);
    registrations.register(PartitionStore.Drain.class, 301);
    registrations.register(PartitionStore.Discard.class, 302);
    registrations.register(PartitionStore.Drained.class, 303);
    registrations.register(PartitionStore.Done.class, 304);
    registrations.register(PartitionStore.Partials.class, 306);
    registrations.register(Aggregators.LongValue.class, 310);
    registrations.register(Aggregators.DoubleSum.class, 311);
    registrations.register(Aggregators.Average.class, 312);
    registrations.register(Aggregators.Extreme.class, 313);
  }
}
