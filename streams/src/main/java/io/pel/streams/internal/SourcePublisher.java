package io.pel.streams.internal;

import java.util.Objects;
import java.util.concurrent.Flow;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.stream.javadsl.JavaFlowSupport;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A cold {@link Flow.Publisher}: every {@code subscribe} runs the source once more, for that subscriber
 * alone, through Pekko's own subscriber sink, which speaks the Reactive Streams protocol.
 *
 * <p>Materializing per subscriber (rather than once, behind {@code Sink.asPublisher}) means an unused
 * publisher holds no running stream, and any number of subscribers each see the whole sequence.
 */
public final class SourcePublisher<T> implements Flow.Publisher<T> {

  private final Source<T, ?> source;
  private final ClassicActorSystemProvider system;

  public SourcePublisher(Source<T, ?> source, ClassicActorSystemProvider system) {
    this.source = Objects.requireNonNull(source, "source");
    this.system = Objects.requireNonNull(system, "system");
  }

  @Override
  public void subscribe(Flow.Subscriber<? super T> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber"); // rule 1.9: the only exception subscribe may throw
    Flow.Subscriber<T> typed = narrow(subscriber);
    try {
      source.runWith(JavaFlowSupport.Sink.fromSubscriber(typed), system);
    } catch (RuntimeException e) {
      // Nothing reached the subscriber yet (materialization failed before the stream started, e.g. the
      // actor system is shut down); rule 1.9 still wants onSubscribe before the error.
      subscriber.onSubscribe(NoSubscription.INSTANCE);
      subscriber.onError(e);
    }
  }

  // A Subscriber of a supertype accepts every T; Pekko's sink is invariant in its element type.
  @SuppressWarnings("unchecked")
  private static <T> Flow.Subscriber<T> narrow(Flow.Subscriber<? super T> subscriber) {
    return (Flow.Subscriber<T>) subscriber;
  }

  private enum NoSubscription implements Flow.Subscription {
    INSTANCE;

    @Override
    public void request(long n) {}

    @Override
    public void cancel() {}
  }
}
