package io.pel.cluster.internal;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.util.DefaultClassResolver;

/**
 * Kryo's class resolver with three changes for PEL:
 *
 * <ul>
 *   <li>a class <em>name</em> on the wire is refused: Kryo would otherwise load the class it names
 *       before finding it is not registered; PEL accepts registration ids only;
 *   <li>every implementation of a typed or classic actor reference resolves to the registration of the
 *       interface, since the concrete classes are Pekko internals that vary by provider;
 *   <li>the last class found unregistered is remembered, so the codec can name it in its error.
 * </ul>
 *
 * <p>Not thread-safe, like the Kryo instance that owns it.
 */
final class PelClassResolver extends DefaultClassResolver {

  private static final Class<?> TYPED_REF = org.apache.pekko.actor.typed.ActorRef.class;
  private static final Class<?> CLASSIC_REF = org.apache.pekko.actor.ActorRef.class;

  private Class<?> lastUnregistered;

  @Override
  public Registration getRegistration(Class type) {
    Registration registration = super.getRegistration(type);
    if (registration == null && type != null) registration = actorRefRegistration(type);
    // On a miss Kryo may retry with a fallback (an enum constant's enum, a lambda's closure marker):
    // keep the first class missed, forget it once a lookup succeeds.
    if (registration != null) lastUnregistered = null;
    else if (lastUnregistered == null) lastUnregistered = type;
    return registration;
  }

  /** The class whose lookup failed (before any fallback Kryo tried), or null if the last lookup succeeded. */
  Class<?> lastUnregistered() {
    return lastUnregistered;
  }

  private Registration actorRefRegistration(Class<?> type) {
    Class<?> target = TYPED_REF.isAssignableFrom(type) ? TYPED_REF
        : CLASSIC_REF.isAssignableFrom(type) ? CLASSIC_REF
        : null;
    if (target == null || target == type) return null;
    Registration registration = super.getRegistration(target);
    // Remember the mapping: the next lookup of this class is a plain map hit.
    if (registration != null) classToRegistration.put(type, registration);
    return registration;
  }

  /** Starts a new message: no class has been found missing yet. */
  void forgetUnregistered() {
    lastUnregistered = null;
  }

  @Override
  protected Registration readName(Input input) {
    throw new KryoException("a class name was sent where a registration id was expected; PEL accepts ids only");
  }
}
