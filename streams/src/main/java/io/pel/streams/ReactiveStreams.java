package io.pel.streams;

import io.pel.streams.internal.SourcePublisher;
import java.util.Objects;
import java.util.concurrent.Flow.Processor;
import java.util.concurrent.Flow.Publisher;
import java.util.concurrent.Flow.Subscriber;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.JavaFlowSupport;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Pekko streams on the layer, such as a {@code ParallelFlow}, exposed as {@link java.util.concurrent.Flow}
 * Reactive Streams, for code that does not use Pekko.
 *
 * <p>What is returned follows the Reactive Streams 1.0.4 specification (the TCK runs in this module's
 * build): signals to a subscriber are serial, demand is honoured, {@code request(n)} with {@code n <= 0}
 * fails the stream with an {@link IllegalArgumentException}, and null subscribers or elements are refused
 * with a {@link NullPointerException}. Signals reach a subscriber on a thread of the actor system's
 * dispatcher (Pekko's default dispatcher unless configured otherwise), never synchronously inside its
 * call to {@code request} or {@code cancel}: a subscriber must not block in {@code onNext}; hand blocking
 * work to the layer or to your own executor.
 *
 * <p>A processor over a flow on the layer, fed by a JDK publisher and read by a plain subscriber:
 *
 * <pre>{@code
 * Flow.Processor<Integer, Integer> squares =
 *     ReactiveStreams.processor(ParallelFlow.of(layer, SQUARE).parallelism(8).flow(), layer.system());
 * try (SubmissionPublisher<Integer> numbers = new SubmissionPublisher<>()) {
 *   numbers.subscribe(squares);
 *   squares.subscribe(new Flow.Subscriber<Integer>() {
 *     public void onSubscribe(Flow.Subscription s) { s.request(Long.MAX_VALUE); }
 *     public void onNext(Integer square) { System.out.println(square); }
 *     public void onError(Throwable failure) { failure.printStackTrace(); }
 *     public void onComplete() { System.out.println("done"); }
 *   });
 *   for (int i = 1; i <= 100; i++) numbers.submit(i);
 * } // close() completes the publisher; the subscriber sees the 100 squares in order, then onComplete
 * }</pre>
 *
 * <p>Thread-safe: every factory may be called from any thread; each call builds independent streams.
 */
public final class ReactiveStreams {

  private ReactiveStreams() {}

  /**
   * A new {@link Processor} that runs {@code flow}: what its upstream publisher emits goes through the
   * flow, and what the flow emits goes to its subscriber. Every call materializes a fresh, independent
   * stream on {@code system}; the processor is running (and idle) from the moment it is returned.
   *
   * <ul>
   *   <li><b>Single subscriber, single upstream.</b> The first subscriber gets the flow's output; a later
   *       subscriber receives {@code onSubscribe} and then {@code onError} with an {@link
   *       IllegalStateException}. A second upstream {@code onSubscribe} is cancelled at once.
   *   <li><b>Requests</b> upstream as the flow's buffers have room, driven by the subscriber's demand:
   *       ahead of that demand by at most Pekko's input buffer ({@code
   *       pekko.stream.materializer.max-input-buffer-size}, 16 by default) plus what the flow itself
   *       holds in flight (for a {@code ParallelFlow}, its parallelism). Up to that many elements may be
   *       taken, and their layer tasks started, before the subscriber requests anything.
   *   <li><b>Emits</b> in the order the flow emits (for a {@code ParallelFlow}, the input order), and only
   *       as far as the subscriber has requested.
   *   <li><b>Completes</b> the subscriber once upstream has completed and every element taken has been
   *       emitted.
   *   <li><b>Fails</b> the subscriber with upstream's error as soon as upstream signals {@code onError}
   *       (elements still in flight are dropped), or with the flow's failure (for a task, the {@code
   *       TaskFailedException}), in which case upstream is cancelled.
   *   <li><b>Cancels</b> upstream when the subscriber cancels. Tasks already submitted to the layer run to
   *       their end; their results are discarded.
   *   <li><b>Must be subscribed in time.</b> A processor that has no subscriber within {@code
   *       pekko.stream.materializer.subscription-timeout.timeout} (5 s by default) of its creation gives
   *       up, as every Pekko publisher does so that none leaks: it cancels its upstream, and answers a
   *       later subscriber with {@code onSubscribe} then {@code onError(IllegalStateException)}. Wire both
   *       ends when you create it.
   *   <li><b>Stops</b> with the actor system: if that shuts down (as {@code layer.close()} does) while the
   *       stream runs, the subscriber receives {@code onError} with Pekko's {@code
   *       AbruptTerminationException} and upstream is cancelled.
   * </ul>
   *
   * @param <I> what the processor accepts from upstream
   * @param <O> what the processor emits to its subscriber
   * @param flow the stream to run for each element; its materialized value is discarded
   * @param system the actor system that runs the stream, such as {@code layer.system()}
   * @return a processor that is not yet subscribed to anything
   * @throws NullPointerException if {@code flow} or {@code system} is null
   * @throws IllegalStateException if {@code system} has been shut down
   */
  public static <I, O> Processor<I, O> processor(Flow<I, O, ?> flow, ClassicActorSystemProvider system) {
    Objects.requireNonNull(flow, "flow");
    Objects.requireNonNull(system, "system");
    return JavaFlowSupport.Flow.toProcessor(flow).run(system);
  }

  /**
   * A cold {@link Publisher} of what {@code source} emits. Nothing runs until a subscriber subscribes;
   * then the source runs once for that subscriber alone, so every subscriber sees the whole sequence from
   * the start (and, for a source through the layer, its own set of tasks). Any number of subscribers may
   * subscribe, at once or one after another.
   *
   * <p>For each subscriber: emits only as far as it has requested, although the source may run ahead by
   * its own buffers; completes when the source completes; fails with the source's failure; and stops the
   * source when the subscriber cancels. If the stream cannot be started (the actor system is shut down)
   * the subscriber receives {@code onSubscribe} and then {@code onError} with the reason.
   *
   * @param <O> what the publisher emits
   * @param source the elements to publish; its materialized value is discarded
   * @param system the actor system that runs the source, such as {@code layer.system()}
   * @return a publisher that runs {@code source} once per subscriber
   * @throws NullPointerException if {@code source} or {@code system} is null
   */
  public static <O> Publisher<O> publisher(Source<O, ?> source, ClassicActorSystemProvider system) {
    return new SourcePublisher<>(source, system);
  }

  /**
   * A new {@link Subscriber} that feeds {@code sink}: what its publisher emits goes into the sink. Every
   * call materializes a fresh stream on {@code system}, idle until the subscriber is subscribed.
   *
   * <p>It may be subscribed once: a second {@code onSubscribe} is answered by cancelling that second
   * subscription. It requests as the sink has room, ahead of the sink by at most Pekko's input buffer (16
   * elements by default). An {@code onError} fails the sink with that error and {@code onComplete}
   * completes it; if the sink fails or stops early, the subscription is cancelled. The sink's
   * materialized value (such as the {@code CompletionStage} of {@code Sink.foreach}) is discarded: when
   * you need it, materialize {@code JavaFlowSupport.Source.asSubscriber()} into your sink yourself.
   *
   * @param <I> what the subscriber accepts
   * @param sink where the elements go; its materialized value is discarded
   * @param system the actor system that runs the sink, such as {@code layer.system()}
   * @return a subscriber that may be subscribed once
   * @throws NullPointerException if {@code sink} or {@code system} is null
   * @throws IllegalStateException if {@code system} has been shut down
   */
  public static <I> Subscriber<I> subscriber(Sink<I, ?> sink, ClassicActorSystemProvider system) {
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(system, "system");
    return JavaFlowSupport.Source.<I>asSubscriber().to(sink).run(system);
  }
}
