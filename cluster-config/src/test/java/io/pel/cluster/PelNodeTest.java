package io.pel.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PelNodeTest {

  private static Config resolve(String hocon, Map<String, String> env) {
    return PelNode.config(ConfigFactory.parseString(hocon), env);
  }

  @Test
  void aLeavingNodeWaitsLongerThanTheDowningOfAnUnreachableMemberTakes() {
    Config config = PelNode.config(ConfigFactory.empty(), Map.of());
    long downing = config.getDuration("pekko.cluster.split-brain-resolver.stable-after").toMillis()
        + config.getDuration("pekko.cluster.failure-detector.acceptable-heartbeat-pause").toMillis();
    long exiting = config.getDuration("pekko.coordinated-shutdown.phases.cluster-exiting.timeout").toMillis();
    assertTrue(exiting > downing + 5_000, "cluster-exiting " + exiting + " ms, downing takes about " + downing + " ms");
    assertEquals("keep-majority", config.getString("pekko.cluster.split-brain-resolver.active-strategy"));
    assertEquals(false, config.getBoolean("pekko.actor.allow-java-serialization"));
  }

  @Test
  void withNoConfigurationANodeBindsLoopbackOnAFreePortAndHasNoSeeds() {
    Config c = resolve("", Map.of());
    assertEquals("127.0.0.1", c.getString("pekko.remote.artery.canonical.hostname"));
    assertEquals(0, c.getInt("pekko.remote.artery.canonical.port"));
    assertEquals(List.of(), c.getStringList("pekko.cluster.seed-nodes"));
    assertEquals("cluster", c.getString("pekko.actor.provider"));
    assertEquals("off", c.getString("pekko.actor.allow-java-serialization"));
    assertEquals("keep-majority", c.getString("pekko.cluster.split-brain-resolver.active-strategy"));
  }

  @Test
  void pelsPekkoSettingsWinOverPekkosDefaultsAndYieldToTheApplication() {
    // PEL's reference.conf no longer sets the provider; Pekko's says "local" whatever the class-path order.
    assertEquals("local", ConfigFactory.defaultReference().getString("pekko.actor.provider"));
    assertEquals("cluster", resolve("", Map.of()).getString("pekko.actor.provider"));
    assertEquals("org.apache.pekko.cluster.sbr.SplitBrainResolverProvider",
        resolve("", Map.of()).getString("pekko.cluster.downing-provider-class"));
    assertEquals(List.of("org.apache.pekko.event.slf4j.Slf4jLogger"), resolve("", Map.of()).getStringList("pekko.loggers"));
    assertEquals("on", resolve("pekko.cluster.log-info = on", Map.of()).getString("pekko.cluster.log-info"));
    assertEquals("io.pel.cluster.internal.KryoSerializer", resolve("", Map.of()).getString("pekko.actor.serializers.pel-kryo"));
  }

  @Test
  void environmentVariablesMakeAClusterNode() {
    Config c = resolve("", Map.of(
        "PEL_HOST", "10.1.2.3",
        "PEL_PORT", "25520",
        "PEL_SEED_NODES", "10.1.2.3:25520, pekko://pel@node-2.internal:25521",
        "PEL_ROLES", "worker,gpu",
        "PEL_INSECURE_CLUSTER", "true"));
    assertEquals("10.1.2.3", c.getString("pekko.remote.artery.canonical.hostname"));
    assertEquals(25520, c.getInt("pekko.remote.artery.canonical.port"));
    assertEquals(List.of("pekko://pel@10.1.2.3:25520", "pekko://pel@node-2.internal:25521"),
        c.getStringList("pekko.cluster.seed-nodes"));
    assertEquals(List.of("worker", "gpu"), c.getStringList("pekko.cluster.roles"));
  }

  @Test
  void withDiscoveryTheNodeTakesNoSeedsAndCluster_BootstrapGetsItsSettings() {
    Config c = resolve("pel.insecure-cluster = on", Map.of("PEL_DISCOVERY", "kubernetes-api", "PEL_MANAGEMENT_HOST", "10.1.2.3",
        "PEL_MANAGEMENT_PORT", "8558", "PEL_DISCOVERY_SERVICE", "pel-prod", "PEL_REQUIRED_CONTACT_POINTS", "3",
        "PEL_APP_VERSION", "1.4.2"));
    String bootstrap = "pekko.management.cluster.bootstrap.contact-point-discovery.";
    assertEquals("kubernetes-api", c.getString(bootstrap + "discovery-method"));
    assertEquals("pel-prod", c.getString(bootstrap + "service-name"));
    assertEquals(3, c.getInt(bootstrap + "required-contact-point-nr"));
    assertEquals("10.1.2.3", c.getString("pekko.management.http.hostname"));
    assertEquals(8558, c.getInt("pekko.management.http.port"));
    assertEquals("1.4.2", c.getString("pekko.cluster.app-version"));
    assertEquals(List.of(), c.getStringList("pekko.cluster.seed-nodes"));
    assertEquals("none", resolve("", Map.of()).getString("pel.node.discovery"));

    InvalidSettingException both = assertThrows(InvalidSettingException.class, () -> resolve("pel.insecure-cluster = on",
        Map.of("PEL_DISCOVERY", "config", "PEL_SEED_NODES", "10.1.2.3:25520")));
    assertEquals("PEL_DISCOVERY", both.setting());
    assertTrue(both.getMessage().contains("PEL_SEED_NODES") && both.getMessage().contains("not both"), both.getMessage());
  }

  @Test
  void withDiscoveryButNoClusterBootstrapOnTheClassPathTheNodeDoesNotStart() {
    Config c = resolve("pel.insecure-cluster = on", Map.of("PEL_DISCOVERY", "config"));
    InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> PelNode.start(
        org.apache.pekko.actor.typed.javadsl.Behaviors.empty(), c));
    assertEquals("pel.node.discovery", e.setting());
    assertTrue(e.getMessage().contains("pel-service"), e.getMessage());
  }

  @Test
  void hoconKeysWorkAndTheEnvironmentWins() {
    Config c = resolve("pel.node.port = 3000\npel.node.roles = [a]", Map.of("PEL_PORT", "4000"));
    assertEquals(4000, c.getInt("pekko.remote.artery.canonical.port"));
    assertEquals(List.of("a"), c.getStringList("pekko.cluster.roles"));
  }

  @Test
  void arteryFramesHoldAnyMessagePelAccepts() {
    String frame = "pekko.remote.artery.advanced.maximum-frame-size";
    assertTrue(resolve("", Map.of()).getBytes(frame) > 8L << 20, "the default max-message-size is 8 MiB");
    long oneMiB = 1L << 20;
    long small = resolve("pel.serialization.max-message-size = 1 MiB", Map.of()).getBytes(frame);
    assertTrue(small > oneMiB && small < 2 * oneMiB, "frame " + small + " for 1 MiB messages");
    assertEquals(64L << 20, resolve("pel.serialization.max-message-size = 1 MiB\n" + frame + " = 64 MiB", Map.of()).getBytes(frame),
        "a larger frame of the application's is kept");
  }

  @Test
  void theWorkerDispatcherIsSizedToTheWorkers() {
    assertEquals(3, resolve("pel.workers-per-node = 3", Map.of()).getInt("pel.worker-dispatcher.thread-pool-executor.fixed-pool-size"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "PEL_PORT       | 70000",
      "PEL_PORT       | eighty",
      "PEL_PORT       | -1",
      "PEL_HOST       | not a host",
      "PEL_HOST       | ''",
      "PEL_SEED_NODES | localhost",
      "PEL_SEED_NODES | localhost:0",
      "PEL_SEED_NODES | localhost:99999",
      "PEL_SEED_NODES | pekko://other@localhost:2552",
      "PEL_SEED_NODES | a:1,,b:2",
      "PEL_ROLES      | worker,,gpu",
      "PEL_DISCOVERY  | dns",
      "PEL_MANAGEMENT_PORT | 0",
      "PEL_MANAGEMENT_HOST | 'a b'",
      "PEL_REQUIRED_CONTACT_POINTS | 0",
      "PEL_REQUIRED_CONTACT_POINTS | two",
  })
  void anInvalidVariableStopsStartUpNamingItAndItsValue(String variable, String value) {
    InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> resolve("pel.insecure-cluster = on", Map.of(variable, value)));
    assertEquals(variable, e.setting());
    assertTrue(e.getMessage().startsWith(variable + " = '"), e.getMessage());
  }

  @Test
  void anInvalidHoconKeyIsNamed() {
    InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> resolve("pel.node.port = 123456", Map.of()));
    assertEquals("pel.node.port", e.setting());
  }
}
