package io.pel.bench.jmh;

import io.pel.actors.internal.Batch;
import io.pel.actors.internal.Task;
import io.pel.actors.internal.TaskId;
import io.pel.actors.internal.WorkSupervisor;
import io.pel.actors.internal.Worker;
import io.pel.cluster.PelNode;
import io.pel.cluster.internal.KryoSerializer;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One wire round trip of the message a supervisor sends a routee, {@link Worker.Run}: its manifest,
 * {@code toBinary} and {@code fromBinary} through the serializer Pekko binds to PEL's messages on a PEL
 * node ({@link KryoSerializer}, built from {@code reference.conf} with every module's registrar and the
 * node's actor reference resolution). Pekko's own envelope and serializer lookup are not included. A
 * supervisor pays this only for a routee on another node; a local routee gets the message by reference.
 *
 * <p>The {@code replyTo} is a real local actor, so its reference is written as a full path with the node's
 * address and resolved again on the way back. The set-up checks that both messages survive the round
 * trip and prints their serialized sizes once (they vary by a few bytes with the node's port and uid, which
 * the reference carries).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class KryoRoundTripBenchmark {

  private static final String TYPE = "bench.jmh.identity";
  /** Inputs of the batch message, as {@code submitBatch} of 1024 tasks sends them. */
  private static final int BATCH = 1024;

  /** A PEL node's actor system, its Kryo serializer and the two messages. */
  @State(Scope.Benchmark)
  public static class Wire {

    ActorSystem<Void> system;
    KryoSerializer serializer;
    Worker.Run single;
    Worker.Run batch;

    @Setup(Level.Trial)
    public void setUp() throws NotSerializableException {
      system = PelNode.start(Behaviors.empty(), PelNode.load());
      Serializer bound = SerializationExtension.get(Adapter.toClassic(system)).serializerFor(Worker.Run.class);
      if (!(bound instanceof KryoSerializer kryo)) {
        throw new IllegalStateException("Worker.Run is bound to " + bound.getClass().getName() + ", not PEL's Kryo serializer");
      }
      serializer = kryo;
      ActorRef<WorkSupervisor.Command> supervisor = system.systemActorOf(Behaviors.empty(), "supervisor", Props.empty());
      long node = Cluster.get(system).selfMember().uniqueAddress().longUid();
      List<Object> inputs = new ArrayList<>(BATCH);
      for (long i = 0; i < BATCH; i++) inputs.add(i);
      single = new Worker.Run(new Task(new TaskId(node, 1), TYPE, null, 42L, 1), supervisor);
      batch = new Worker.Run(new Task(new TaskId(node, 2), TYPE, null, new Batch(inputs), 1), supervisor);
      for (Worker.Run run : List.of(single, batch)) {
        if (!run.equals(roundTrip(serializer, run))) throw new IllegalStateException("round trip changed " + run);
      }
      System.out.printf("Worker.Run serialized: %d bytes with one Long, %d bytes with a Batch of %d Longs%n",
          serializer.toBinary(single).length, serializer.toBinary(batch).length, BATCH);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
    }
  }

  /** A {@code Run} of one task whose payload is a {@code Long}. */
  @Benchmark
  public Object singleTask(Wire wire) throws NotSerializableException {
    return roundTrip(wire.serializer, wire.single);
  }

  /** A {@code Run} of one batch task whose payload is a {@link Batch} of 1024 {@code Long} inputs. */
  @Benchmark
  public Object batchOf1024(Wire wire) throws NotSerializableException {
    return roundTrip(wire.serializer, wire.batch);
  }

  private static Object roundTrip(KryoSerializer serializer, Object message) throws NotSerializableException {
    String manifest = serializer.manifest(message);
    return serializer.fromBinary(serializer.toBinary(message), manifest);
  }
}
