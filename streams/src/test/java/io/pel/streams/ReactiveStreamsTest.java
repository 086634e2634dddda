package io.pel.streams;

import static io.pel.streams.IdentityLayer.layerFlow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import io.pel.actors.ExecutionLayer;
import io.pel.actors.Layers;
import io.pel.actors.Stats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.AbruptTerminationException;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Reactive Streams adapters as code without Pekko sees them: JDK publishers and hand-written
 * subscribers around a flow whose elements run as layer tasks.
 */
class ReactiveStreamsTest {

  private static ExecutionLayer layer;

  @BeforeAll
  static void startLayer() {
    layer = IdentityLayer.start();
  }

  @AfterAll
  static void closeLayer() {
    layer.close();
  }

  @Test
  void elementsRequestedInSmallStepsArriveInOrderExactlyOnce() throws Exception {
    int count = 200;
    long tasksBefore = layer.stats().succeeded();
    Flow.Processor<Integer, Integer> processor = ReactiveStreams.processor(layerFlow(layer), layer.system());
    SubmissionPublisher<Integer> numbers = new SubmissionPublisher<>();
    numbers.subscribe(processor);
    ProbeSubscriber<Integer> subscriber = new ProbeSubscriber<>();
    processor.subscribe(subscriber);
    // submit blocks while the processor applies backpressure, so it feeds from its own thread.
    CompletableFuture<Void> feeding = CompletableFuture.runAsync(() -> {
      for (int i = 0; i < count; i++) numbers.submit(i);
      numbers.close();
    });

    for (int i = 0; i < count; i += 3) {
      subscriber.request(3);
      for (int j = i; j < Math.min(i + 3, count); j++) assertEquals(j, subscriber.expectNext());
    }
    subscriber.expectComplete();
    Layers.await(feeding);
    assertEquals(0, subscriber.overflows.get(), "onNext beyond the requested demand");
    assertEquals(count, layer.stats().succeeded() - tasksBefore, "every element ran as one layer task");
  }

  @Test
  void cancellingTheSubscriptionCancelsUpstream() throws Exception {
    Flow.Processor<Integer, Integer> processor = ReactiveStreams.processor(layerFlow(layer), layer.system());
    SubmissionPublisher<Integer> numbers = new SubmissionPublisher<>();
    numbers.subscribe(processor);
    ProbeSubscriber<Integer> subscriber = new ProbeSubscriber<>();
    processor.subscribe(subscriber);
    subscriber.request(2);
    numbers.submit(0);
    numbers.submit(1);
    assertEquals(0, subscriber.expectNext());
    assertEquals(1, subscriber.expectNext());

    subscriber.cancel();
    Layers.await(Stats.until(() -> !numbers.isSubscribed(processor)));
    numbers.submit(2);
    subscriber.request(1);
    assertNull(subscriber.signals.poll(100, TimeUnit.MILLISECONDS), "no signal after cancel");
    numbers.close();
  }

  @Test
  void anUpstreamErrorReachesTheSubscriber() throws Exception {
    Flow.Processor<Integer, Integer> processor = ReactiveStreams.processor(layerFlow(layer), layer.system());
    SubmissionPublisher<Integer> numbers = new SubmissionPublisher<>();
    numbers.subscribe(processor);
    ProbeSubscriber<Integer> subscriber = new ProbeSubscriber<>();
    processor.subscribe(subscriber);
    subscriber.request(10);
    numbers.submit(7);
    assertEquals(7, subscriber.expectNext());

    IllegalStateException failure = new IllegalStateException("the source broke");
    numbers.closeExceptionally(failure);
    assertSame(failure, subscriber.expectError());
  }

  @Test
  void aSecondSubscriberIsRefusedWithAnError() throws Exception {
    Flow.Processor<Integer, Integer> processor = ReactiveStreams.processor(layerFlow(layer), layer.system());
    processor.subscribe(new ProbeSubscriber<>());
    ProbeSubscriber<Integer> second = new ProbeSubscriber<>();
    processor.subscribe(second);
    assertInstanceOf(IllegalStateException.class, second.expectError());
  }

  @Test
  void aProcessorWithoutASubscriberInTimeCancelsItsUpstreamAndRefusesLateSubscribers() throws Exception {
    ActorSystem system = ActorSystem.create("subscription-timeout",
        ConfigFactory.parseString("pekko.stream.materializer.subscription-timeout.timeout = 100ms")
            .withFallback(ConfigFactory.load()));
    try {
      Flow.Processor<Integer, Integer> processor = ReactiveStreams.processor(layerFlow(layer), system);
      UpstreamSubscription upstream = new UpstreamSubscription();
      processor.onSubscribe(upstream);
      Layers.await(upstream.cancelled);
      ProbeSubscriber<Integer> late = new ProbeSubscriber<>();
      processor.subscribe(late);
      assertInstanceOf(IllegalStateException.class, late.expectError());
    } finally {
      system.terminate();
    }
  }

  @Test
  void aProcessorFailsItsSubscriberAndCancelsUpstreamWhenTheActorSystemStops() throws Exception {
    ActorSystem system = ActorSystem.create("stopping");
    Flow.Processor<Integer, Integer> processor = ReactiveStreams.processor(layerFlow(layer), system);
    ProbeSubscriber<Integer> subscriber = new ProbeSubscriber<>();
    processor.subscribe(subscriber);
    UpstreamSubscription upstream = new UpstreamSubscription();
    processor.onSubscribe(upstream);
    Layers.await(upstream.requested);
    system.terminate();
    assertInstanceOf(AbruptTerminationException.class, subscriber.expectError());
    Layers.await(upstream.cancelled);
  }

  @Test
  void aPublisherRunsItsSourceAgainForEachSubscriber() throws Exception {
    Flow.Publisher<Integer> publisher = ReactiveStreams.publisher(Source.range(1, 5).via(layerFlow(layer)), layer.system());
    for (int run = 0; run < 2; run++) {
      ProbeSubscriber<Integer> subscriber = new ProbeSubscriber<>();
      publisher.subscribe(subscriber);
      subscriber.request(Long.MAX_VALUE);
      for (int i = 1; i <= 5; i++) assertEquals(i, subscriber.expectNext());
      subscriber.expectComplete();
    }
  }

  @Test
  void aSubscriberFeedsItsSinkEveryElement() throws Exception {
    CompletableFuture<List<Integer>> all = new CompletableFuture<>();
    Sink<Integer, NotUsed> sink = layerFlow(layer).to(Sink.<Integer>seq().mapMaterializedValue(seq -> {
      seq.thenAccept(xs -> all.complete(new ArrayList<>(xs)));
      return NotUsed.getInstance();
    }));
    try (SubmissionPublisher<Integer> numbers = new SubmissionPublisher<>()) {
      numbers.subscribe(ReactiveStreams.subscriber(sink, layer.system()));
      for (int i = 0; i < 50; i++) numbers.submit(i);
    }
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) expected.add(i);
    assertEquals(expected, Layers.await(all));
  }

  @Test
  void nullArgumentsAreRefusedNamingTheArgument() {
    var system = layer.system();
    var flow = layerFlow(layer);
    assertEquals("flow", assertThrows(NullPointerException.class, () -> ReactiveStreams.processor(null, system)).getMessage());
    assertEquals("system", assertThrows(NullPointerException.class, () -> ReactiveStreams.processor(flow, null)).getMessage());
    assertEquals("source", assertThrows(NullPointerException.class, () -> ReactiveStreams.publisher(null, system)).getMessage());
    assertEquals("system",
        assertThrows(NullPointerException.class, () -> ReactiveStreams.publisher(Source.empty(), null)).getMessage());
    assertEquals("sink", assertThrows(NullPointerException.class, () -> ReactiveStreams.subscriber(null, system)).getMessage());
    assertEquals("system",
        assertThrows(NullPointerException.class, () -> ReactiveStreams.subscriber(Sink.ignore(), null)).getMessage());
    Flow.Publisher<Integer> publisher = ReactiveStreams.publisher(Source.single(1), system);
    assertEquals("subscriber", assertThrows(NullPointerException.class, () -> publisher.subscribe(null)).getMessage());
  }

  /** The upstream end of a processor, driven by the test: records that it was asked for elements or cancelled. */
  private static final class UpstreamSubscription implements Flow.Subscription {

    final CompletableFuture<Long> requested = new CompletableFuture<>();
    final CompletableFuture<Void> cancelled = new CompletableFuture<>();

    @Override
    public void request(long n) {
      requested.complete(n);
    }

    @Override
    public void cancel() {
      cancelled.complete(null);
    }
  }

  /**
   * A subscriber as code without Pekko writes it: requests explicitly, and records every signal in order
   * so the test can take them one by one.
   */
  private static final class ProbeSubscriber<T> implements Flow.Subscriber<T> {

    private static final Object COMPLETE = new Object();

    final BlockingQueue<Object> signals = new LinkedBlockingQueue<>();
    final AtomicLong overflows = new AtomicLong();
    private final AtomicLong demand = new AtomicLong();
    private final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription.complete(s);
    }

    @Override
    public void onNext(T item) {
      if (demand.getAndDecrement() <= 0) overflows.incrementAndGet();
      signals.add(item);
    }

    @Override
    public void onError(Throwable failure) {
      signals.add(failure);
    }

    @Override
    public void onComplete() {
      signals.add(COMPLETE);
    }

    void request(long n) throws Exception {
      demand.addAndGet(n);
      Layers.await(subscription).request(n);
    }

    void cancel() throws Exception {
      Layers.await(subscription).cancel();
    }

    @SuppressWarnings("unchecked")
    T expectNext() throws Exception {
      Object signal = next();
      if (signal == COMPLETE || signal instanceof Throwable) {
        throw new AssertionError("expected an element, got " + describe(signal));
      }
      return (T) signal;
    }

    void expectComplete() throws Exception {
      Object signal = next();
      if (signal != COMPLETE) throw new AssertionError("expected onComplete, got " + describe(signal));
    }

    Throwable expectError() throws Exception {
      Object signal = next();
      if (!(signal instanceof Throwable failure)) throw new AssertionError("expected onError, got " + describe(signal));
      return failure;
    }

    private Object next() throws InterruptedException {
      Object signal = signals.poll(Layers.WAIT.toSeconds(), TimeUnit.SECONDS);
      if (signal == null) throw new AssertionError("no signal within " + Layers.WAIT);
      return signal;
    }

    private static String describe(Object signal) {
      return signal == COMPLETE ? "onComplete" : signal instanceof Throwable t ? "onError(" + t + ")" : "onNext(" + signal + ")";
    }
  }
}
