package io.pel.streams;

import io.pel.actors.ExecutionLayer;
import java.util.concurrent.Flow;
import java.util.stream.Stream;
import org.apache.pekko.stream.javadsl.Source;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/** The Reactive Streams TCK on {@link ReactiveStreams#publisher} over a source through the layer. */
public class PublisherTckTest extends FlowPublisherVerification<Integer> {

  private ExecutionLayer layer;

  public PublisherTckTest() {
    super(TckEnvironment.create(), TckEnvironment.PUBLISHER_GC_MILLIS);
  }

  @BeforeClass
  public void startLayer() {
    layer = IdentityLayer.start();
  }

  @AfterClass(alwaysRun = true)
  public void closeLayer() {
    if (layer != null) IdentityLayer.closeAfterTasksRan(layer);
  }

  /** 0, 1, 2, ... through the layer; {@code Long.MAX_VALUE} elements is, in effect, endless. */
  @Override
  public Flow.Publisher<Integer> createFlowPublisher(long elements) {
    Source<Integer, ?> numbers = Source.fromIterator(() -> Stream.iterate(0, i -> i + 1).iterator()).take(elements);
    return ReactiveStreams.publisher(numbers.via(IdentityLayer.layerFlow(layer)), layer.system());
  }

  @Override
  public Flow.Publisher<Integer> createFailedFlowPublisher() {
    Source<Integer, ?> failed = Source.failed(new IllegalStateException("the source failed on start"));
    return ReactiveStreams.publisher(failed.via(IdentityLayer.layerFlow(layer)), layer.system());
  }
}
