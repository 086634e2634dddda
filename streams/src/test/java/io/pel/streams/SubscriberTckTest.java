package io.pel.streams;

import io.pel.actors.ExecutionLayer;
import java.util.concurrent.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.reactivestreams.tck.flow.FlowSubscriberBlackboxVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * The Reactive Streams TCK on {@link ReactiveStreams#subscriber} feeding a sink through the layer.
 *
 * <p>Black-box, because the subscriber requests on its own (it fills Pekko's input buffer): the white-box
 * probe's "request n now" cannot be honoured without bypassing the subscriber's own demand accounting.
 * The black-box rules check the protocol (subscription, cancellation, nulls, completion and error without
 * demand) but push no element; {@link ReactiveStreamsTest} sends elements through a subscriber, and the
 * white-box subscriber rules run on the processor's subscriber side in {@link ProcessorTckTest}.
 */
public class SubscriberTckTest extends FlowSubscriberBlackboxVerification<Integer> {

  private ExecutionLayer layer;

  public SubscriberTckTest() {
    super(TckEnvironment.create());
  }

  @BeforeClass
  public void startLayer() {
    layer = IdentityLayer.start();
  }

  @AfterClass(alwaysRun = true)
  public void closeLayer() {
    if (layer != null) layer.close();
  }

  @Override
  public Flow.Subscriber<Integer> createFlowSubscriber() {
    return ReactiveStreams.subscriber(IdentityLayer.layerFlow(layer).to(Sink.ignore()), layer.system());
  }

  @Override
  public Integer createElement(int element) {
    return element;
  }
}
