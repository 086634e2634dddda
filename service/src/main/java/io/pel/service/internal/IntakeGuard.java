package io.pel.service.internal;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * Passes a stream's body through and ends it when its client breaks an {@link IntakeMeter} rule (idle too
 * long, too slow): the stage fails with {@link SlowClientException}, whose message names the rule, so that
 * the lines read before are answered and a last error line says why the stream ended. The meter reads
 * {@code clock} (nanoseconds) on each pull, each chunk and each tick of a timer that fires a few times per
 * rule's period; the timer only decides how soon a broken rule is seen, the clock whether it is broken.
 *
 * <ul>
 *   <li><b>Emits when</b> a chunk of the body comes.
 *   <li><b>Backpressures when</b> downstream does (that time is not counted against the client).
 *   <li><b>Completes when</b> the body ends.
 *   <li><b>Fails when</b> the body fails, or with {@link SlowClientException} when the client breaks a rule.
 *   <li><b>Cancels when</b> downstream cancels.
 * </ul>
 */
final class IntakeGuard extends GraphStage<FlowShape<ByteString, ByteString>> {

  /** A stream ended because its client sent its body too slowly, or not at all. */
  static final class SlowClientException extends RuntimeException {
    SlowClientException(String message) {
      super(message, null, false, false);
    }
  }

  private final Inlet<ByteString> in = Inlet.create("IntakeGuard.in");
  private final Outlet<ByteString> out = Outlet.create("IntakeGuard.out");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);
  private final Duration idleTimeout;
  private final long minBytesPerSecond;
  private final Duration window;
  private final LongSupplier clock;

  IntakeGuard(Duration idleTimeout, long minBytesPerSecond, Duration window, LongSupplier clock) {
    this.idleTimeout = idleTimeout;
    this.minBytesPerSecond = minBytesPerSecond;
    this.window = window;
    this.clock = clock;
  }

  @Override
  public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  /** How often the rules are checked: a tenth of the shorter period, from 10 ms to 1 s. */
  Duration tick() {
    long shorter = Math.min(idleTimeout.toMillis(), minBytesPerSecond > 0 ? window.toMillis() : Long.MAX_VALUE);
    return Duration.ofMillis(Math.max(10, Math.min(1000, shorter / 10)));
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    IntakeMeter meter = new IntakeMeter(idleTimeout, minBytesPerSecond, window);
    return new TimerGraphStageLogic(shape) {
      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            ByteString chunk = grab(in);
            meter.received(clock.getAsLong(), chunk.size());
            push(out, chunk);
          }

          @Override
          public void onUpstreamFinish() {
            meter.ended();
            completeStage();
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            meter.waiting(clock.getAsLong());
            pull(in);
          }
        });
      }

      @Override
      public void preStart() {
        scheduleWithFixedDelay("rules", tick(), tick());
      }

      @Override
      public void onTimer(Object key) {
        String why = meter.verdict(clock.getAsLong());
        if (why != null) failStage(new SlowClientException(why));
      }
    };
  }
}
