package io.pel.service.internal;

import io.pel.cluster.KryoRegistrar;

/**
 * Registers the service module's wire classes with PEL's Kryo serializer under fixed ids 400&ndash;499,
 * named in this module's {@code reference.conf}; an id never changes meaning once released.
 *
 * <pre>
 * 400 LoadGossip.Report
 * </pre>
 */
public final class ServiceWireRegistrar implements KryoRegistrar {

  @Override
  public void registerClasses(Registrations registrations) {
    registrations.register(LoadGossip.Report.class, 400);
  }
}
