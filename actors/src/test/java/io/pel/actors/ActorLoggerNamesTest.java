package io.pel.actors;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.ConfigFactory;
import io.pel.actors.internal.WorkSupervisor;
import io.pel.testkit.TestTls;
import java.util.List;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** PEL's actors log under their own class names, whichever message makes them log first. */
class ActorLoggerNamesTest {

  @Test
  void aClientsSupervisorLogsUnderItsClassWhenItsFirstLineComesFromTheReceptionist() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(WorkSupervisor.class);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    Level level = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    logger.addAppender(events);
    try (ExecutionLayer worker = Layers.start(TestTls.hocon() + "pel.workers-per-node = 1")) {
      Address seed = Cluster.get(worker.system()).selfMember().address();
      String client = TestTls.hocon() + "pel.node.roles = [client]\npel.node.seed-nodes = [\"" + seed.host().get() + ":" + seed.port().get() + "\"]";
      try (ExecutionLayer layer = ExecutionLayer.start(ConfigFactory.parseString(client))) {
        String clientAddress = Cluster.get(layer.system()).selfMember().address().toString();
        // The client has no routee of its own: the first it logs about comes from a Receptionist listing.
        Stats.until(layer, stats -> stats.routees() == 1).join();
        Stats.until(() -> logged(events).stream().anyMatch(e -> fromClient(e, clientAddress))).join();
      }
    } finally {
      logger.detachAppender(events);
      logger.setLevel(level);
    }
  }

  /** The events so far; logback appends under the appender's lock. */
  private static List<ILoggingEvent> logged(ListAppender<ILoggingEvent> events) {
    synchronized (events) {
      return List.copyOf(events.list);
    }
  }

  private static boolean fromClient(ILoggingEvent event, String clientAddress) {
    return clientAddress.equals(event.getMDCPropertyMap().get("pekkoAddress")) && event.getFormattedMessage().startsWith("Routee ");
  }
}
