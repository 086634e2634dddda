package io.pel.streams;

import io.pel.actors.ExecutionLayer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.reactivestreams.tck.flow.IdentityFlowProcessorVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * The Reactive Streams TCK on {@link ReactiveStreams#processor}: the processor's publisher and subscriber
 * sides, with every element running as a layer task.
 */
public class ProcessorTckTest extends IdentityFlowProcessorVerification<Integer> {

  private ExecutionLayer layer;
  private ExecutorService helperPublishers;

  public ProcessorTckTest() {
    super(TckEnvironment.create(), TckEnvironment.PUBLISHER_GC_MILLIS);
  }

  @BeforeClass
  public void startLayer() {
    layer = IdentityLayer.start();
    helperPublishers = Executors.newFixedThreadPool(2);
  }

  @AfterClass(alwaysRun = true)
  public void closeLayer() {
    if (helperPublishers != null) helperPublishers.shutdownNow();
    if (layer != null) IdentityLayer.closeAfterTasksRan(layer);
  }

  @Override
  protected Flow.Processor<Integer, Integer> createIdentityFlowProcessor(int bufferSize) {
    return ReactiveStreams.processor(IdentityLayer.layerFlow(layer), layer.system());
  }

  /** A processor whose flow fails as soon as it starts: its subscriber must get onSubscribe, then onError. */
  @Override
  protected Flow.Publisher<Integer> createFailedFlowPublisher() {
    var failing = org.apache.pekko.stream.javadsl.Flow.fromSinkAndSourceCoupled(
        Sink.<Integer>ignore(), Source.<Integer>failed(new IllegalStateException("the flow failed on start")));
    return ReactiveStreams.processor(IdentityLayer.layerFlow(layer).via(failing), layer.system());
  }

  @Override
  public Integer createElement(int element) {
    return element;
  }

  @Override
  public ExecutorService publisherExecutorService() {
    return helperPublishers;
  }

  /** The processor serves one subscriber (it is built on Pekko's non-fan-out publisher). */
  @Override
  public long maxSupportedSubscribers() {
    return 1;
  }
}
