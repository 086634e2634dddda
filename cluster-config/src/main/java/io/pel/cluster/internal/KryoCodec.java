package io.pel.cluster.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.util.Pool;
import com.typesafe.config.Config;
import io.pel.cluster.internal.BoundedOutput.MessageTooLargeException;
import java.io.NotSerializableException;
import java.lang.ref.SoftReference;
import java.util.Objects;

/**
 * PEL's Kryo wire format for {@link io.pel.cluster.PelSerializable} messages, independent of Pekko so that
 * tests and benchmarks can use it without an actor system. {@link KryoSerializer} adapts it to Pekko.
 *
 * <p>A message is written without its class (the class name travels as Pekko's manifest); everything
 * nested in it is written with its registration id. Only registered classes are ever read: a manifest
 * is looked up in the registration table, never loaded by name; an unknown id inside the bytes fails the
 * read. Every failure, on either side, is a {@link NotSerializableException} that names the class and
 * what was wrong, never a Kryo exception or an error that could kill the caller.
 *
 * <p><b>Concurrency.</b> One codec serves every thread that serializes: Artery's inbound and outbound
 * lanes and any actor when {@code serialize-messages} is on. Its fields are immutable after construction.
 * A Kryo instance and its input and output buffers are not thread-safe, so each call borrows a whole
 * {@link Context}, uses it on the calling thread only and gives it back in a {@code finally}: the calling
 * thread's own context when it is free (no lock, nothing allocated: a routee writing each result ahead
 * calls once per task, and a shared pool's lock was a third of that thread's time), else one from a
 * thread-safe {@link Pool} (a call made while the thread's own is borrowed, by a serializer that calls
 * the codec). A call that fails part-way leaves Kryo mid-graph; the context is reset before it goes back.
 * That reset is complete only because generics tracking is off (it keeps a stack that an exception leaves
 * behind) and references are off, so a bad message costs an exception, not a new Kryo instance. Idle
 * contexts, a thread's own and the pool's, are held through soft references, so memory pressure can
 * reclaim them.
 */
public final class KryoCodec {

  /**
   * Deepest nesting accepted, either way. Legitimate messages nest a handful of levels; the limit turns a
   * hostile deeply nested message, or a cycle (references are off), into an error instead of a
   * StackOverflowError.
   */
  static final int MAX_DEPTH = 128;

  private final KryoRegistry registry;
  private final int maxMessageSize;
  private final ClassLoader loader;
  private final Pool<Context> pool;
  /** The calling thread's own context, if it has one that memory pressure left it. */
  private final ThreadLocal<SoftReference<Context>> own = new ThreadLocal<>();

  /**
   * Builds the registration table and one Kryo instance, so a registration that cannot work fails here.
   *
   * @param loader loads the classes and registrars named in {@code settings}
   * @param resolution how actor references are written and resolved ({@link ActorRefResolution#none()}
   *     without an actor system)
   * @throws io.pel.cluster.InvalidSettingException naming the setting and the value at fault
   */
  public KryoCodec(KryoSettings settings, ClassLoader loader, ActorRefResolution resolution) {
    this.registry = KryoRegistry.create(settings, loader, resolution);
    this.maxMessageSize = settings.maxMessageSize();
    this.loader = Objects.requireNonNull(loader, "loader");
    int capacity = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
    this.pool = new Pool<>(true, true, capacity) {
      @Override
      protected Context create() {
        return newContext(false);
      }
    };
    pool.free(pool.obtain());
  }

  /** A codec for {@code config}'s {@code pel.serialization} settings, without actor references. */
  public static KryoCodec fromConfig(Config config) {
    return new KryoCodec(KryoSettings.fromConfig(config), KryoCodec.class.getClassLoader(), ActorRefResolution.none());
  }

  /**
   * The manifest of {@code message}: its class name; for an enum constant with a body, its enum's name
   * (the class that is registered).
   */
  public String manifest(Object message) {
    return message instanceof Enum<?> constant ? constant.getDeclaringClass().getName() : message.getClass().getName();
  }

  /**
   * Serializes {@code message}.
   *
   * @throws NotSerializableException if its class or a class inside it is not registered, if it is larger
   *     than {@code pel.serialization.max-message-size}, or if Kryo cannot write it
   */
  public byte[] toBinary(Object message) throws NotSerializableException {
    // writeObject looks the class up itself; an enum constant with a body resolves to its enum.
    return write(message, (kryo, output) -> kryo.writeObject(output, message));
  }


  /**
   * Reads a message of the registered class named {@code manifest} from {@code bytes}.
   *
   * @throws NotSerializableException if the manifest names no registered class (nothing is loaded or
   *     built then), if {@code bytes} is larger than {@code max-message-size}, or if the bytes are not
   *     exactly one valid message of that class
   */
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    Objects.requireNonNull(bytes, "bytes");
    Class<?> type = manifest == null ? null : registry.registeredClass(manifest);
    if (type == null) {
      throw new NotSerializableException("manifest '" + manifest + "' is not registered with PEL's Kryo "
          + "serializer; the message is refused and the class is neither loaded nor instantiated");
    }
    if (bytes.length > maxMessageSize) {
      throw new NotSerializableException("received " + type.getName() + " of " + bytes.length
          + " bytes, more than pel.serialization.max-message-size = " + maxMessageSize + " bytes");
    }
    Context context = borrow();
    try {
      context.input.setBuffer(bytes);
      Object message = context.kryo.readObject(context.input, type);
      int left = bytes.length - context.input.position();
      if (left != 0) {
        throw new NotSerializableException("cannot read " + type.getName() + " from " + bytes.length
            + " bytes: " + left + " bytes left over after the message");
      }
      return message;
    } catch (RuntimeException e) {
      throw new NotSerializableException(
          "cannot read " + type.getName() + " from " + bytes.length + " bytes: " + describe(e));
    } finally {
      release(context);
    }
  }

  /**
   * Serializes any registered value with its class id, for a value stored apart from a message (a job's
   * input or result in the job store).
   *
   * @throws NotSerializableException as {@link #toBinary}, naming the class that is not registered
   */
  public byte[] valueToBinary(Object value) throws NotSerializableException {
    return write(value, (kryo, output) -> kryo.writeClassAndObject(output, value));
  }

  private byte[] write(Object value, java.util.function.BiConsumer<com.esotericsoftware.kryo.Kryo, BoundedOutput> writer)
      throws NotSerializableException {
    Objects.requireNonNull(value, "value");
    Context context = borrow();
    try {
      context.resolver.forgetUnregistered();
      writer.accept(context.kryo, context.output);
      return context.output.toBytes();
    } catch (RuntimeException e) {
      throw writeFailure(value.getClass(), context, e);
    } finally {
      release(context);
    }
  }


  /**
   * Reads what {@link #valueToBinary} wrote.
   *
   * @throws NotSerializableException if the bytes are not exactly one value of a registered class
   */
  public Object valueFromBinary(byte[] bytes) throws NotSerializableException {
    Objects.requireNonNull(bytes, "bytes");
    Context context = borrow();
    try {
      context.input.setBuffer(bytes);
      Object value = context.kryo.readClassAndObject(context.input);
      int left = bytes.length - context.input.position();
      if (left != 0) throw new NotSerializableException("cannot read a value from " + bytes.length + " bytes: " + left + " bytes left over");
      return value;
    } catch (RuntimeException e) {
      throw new NotSerializableException("cannot read a value from " + bytes.length + " bytes: " + describe(e));
    } finally {
      release(context);
    }
  }

  /** The largest message accepted either way, in bytes. */
  public int maxMessageSize() {
    return maxMessageSize;
  }

  private NotSerializableException writeFailure(Class<?> type, Context context, RuntimeException e) {
    MessageTooLargeException tooLarge = causeOfType(e, MessageTooLargeException.class);
    if (tooLarge != null) {
      return new NotSerializableException(type.getName() + " is too large to send: it " + tooLarge.getMessage());
    }
    Class<?> missing = context.resolver.lastUnregistered();
    if (missing != null && missing.isSynthetic()) {
      return new NotSerializableException(missing.getName() + " (inside a " + type.getName() + ") is a lambda "
          + "or other synthetic class, which cannot cross the wire: send data, such as a task type name");
    }
    if (missing != null) {
      String where = missing == type ? "" : " (inside a " + type.getName() + ")";
      return new NotSerializableException(missing.getName() + " is not registered with PEL's Kryo serializer"
          + where + ": add it to pel.serialization.classes or register it in a KryoRegistrar");
    }
    return new NotSerializableException("cannot write " + type.getName() + ": " + describe(e));
  }

  /** The calling thread's own context if it is free (made on the thread's first call), else one from the pool. */
  private Context borrow() {
    SoftReference<Context> ref = own.get();
    Context context = ref == null ? null : ref.get();
    if (context == null) {
      context = newContext(true);
      own.set(new SoftReference<>(context));
    } else if (context.borrowed) {
      context = pool.obtain();
    }
    context.borrowed = true;
    return context;
  }

  private void release(Context context) {
    context.kryo.reset(); // after a failure, forgets the depth and the graph of the half-done message
    context.input.release();
    context.output.release();
    context.borrowed = false;
    if (!context.threadOwned) pool.free(context);
  }

  private Context newContext(boolean threadOwned) {
    PelClassResolver resolver = new PelClassResolver();
    // No reference resolver: references off. PEL messages are trees of immutable values, so tracking
    // references would only cost a map lookup per object; without them a hostile message cannot point
    // a back-reference anywhere, and a cycle fails at MAX_DEPTH instead of overflowing the stack.
    Kryo kryo = new Kryo(resolver, null);
    kryo.setReferences(false);
    // Generics tracking only saves class ids in Kryo's own collection serializers, which PEL replaces;
    // without it no per-message state survives an exception (see the class comment).
    kryo.setOptimizedGenerics(false);
    kryo.setRegistrationRequired(true);
    kryo.setMaxDepth(MAX_DEPTH);
    kryo.setClassLoader(loader);
    registry.registerAll(kryo);
    return new Context(kryo, resolver, new BoundedInput(), new BoundedOutput(maxMessageSize), threadOwned);
  }

  private static String describe(Throwable e) {
    Throwable cause = e;
    // Kryo wraps the real problem with a serialization trace; show the innermost message with the trace.
    while (cause.getCause() != null && cause.getCause() != cause && cause.getMessage() == null) cause = cause.getCause();
    String message = cause.getMessage();
    // One line for the log: Kryo puts its serialization trace (field, class) on following lines.
    return message == null ? cause.getClass().getName()
        : cause.getClass().getSimpleName() + ": " + message.strip().replace("\n", " ");
  }

  private static <T extends Throwable> T causeOfType(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) return type.cast(t);
    }
    return null;
  }

  /** One Kryo instance with its buffers: borrowed by one call at a time, on one thread. */
  private static final class Context {
    final Kryo kryo;
    final PelClassResolver resolver;
    final BoundedInput input;
    final BoundedOutput output;
    /** A thread's own, never put in the pool. */
    final boolean threadOwned;
    /** In use by a call on its thread (only that thread reads or writes it). */
    boolean borrowed;

    Context(Kryo kryo, PelClassResolver resolver, BoundedInput input, BoundedOutput output, boolean threadOwned) {
      this.kryo = kryo;
      this.resolver = resolver;
      this.input = input;
      this.output = output;
      this.threadOwned = threadOwned;
    }
  }
}
