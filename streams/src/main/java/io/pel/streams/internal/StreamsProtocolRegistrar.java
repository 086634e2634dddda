package io.pel.streams.internal;

import io.pel.cluster.KryoRegistrar;

/**
 * Registers the streams module's wire protocol with PEL's Kryo serializer under fixed ids 300&ndash;399.
 * Named in this module's {@code reference.conf}; ids never change meaning once released.
 */
public final class StreamsProtocolRegistrar implements KryoRegistrar {

  @Override
  public void registerClasses(Registrations registrations) {
    // The keyed aggregation's messages are registered here as they are added.
  }
}
