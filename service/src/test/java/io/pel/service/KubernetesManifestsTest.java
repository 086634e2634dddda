package io.pel.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.pel.cluster.PelNode;
import io.pel.cluster.internal.TransportSecurity;
import io.pel.testkit.TestTls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The manifests of {@code deploy/kubernetes}, read as Kubernetes reads them: every document has a known
 * kind and API version, the objects refer to each other by the names they have, and the Deployment's
 * environment, given to a node, makes a node that forms its cluster through Cluster Bootstrap over mutual TLS
 * on the ports the pod declares. No cluster is needed: there is no kubectl here.
 */
class KubernetesManifestsTest {

  private static final Path MANIFESTS = Path.of("..", "deploy", "kubernetes");
  private static final Map<String, String> API_VERSIONS = Map.of(
      "Deployment", "apps/v1", "ServiceAccount", "v1", "Role", "rbac.authorization.k8s.io/v1",
      "RoleBinding", "rbac.authorization.k8s.io/v1", "Service", "v1", "HorizontalPodAutoscaler", "autoscaling/v2",
      "PodDisruptionBudget", "policy/v1");
  private static final String POD_IP = "10.0.0.7";

  private static final Map<String, JsonNode> byKind = new HashMap<>();

  @BeforeAll
  static void readManifests() throws IOException {
    YAMLMapper yaml = new YAMLMapper();
    List<Path> files;
    try (Stream<Path> list = Files.list(MANIFESTS)) {
      files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertFalse(files.isEmpty(), "no manifests in " + MANIFESTS.toAbsolutePath());
    for (Path file : files) {
      try (var documents = yaml.readValues(yaml.createParser(file.toFile()), JsonNode.class)) {
        while (documents.hasNext()) {
          JsonNode doc = documents.next();
          String kind = doc.path("kind").asText();
          assertTrue(API_VERSIONS.containsKey(kind), file + ": unexpected kind '" + kind + "'");
          assertEquals(API_VERSIONS.get(kind), doc.path("apiVersion").asText(), file + ": apiVersion of " + kind);
          assertFalse(doc.path("metadata").path("name").asText().isEmpty(), file + ": a " + kind + " without a name");
          assertEquals(null, byKind.put(kind, doc), file + ": a second " + kind);
        }
      }
    }
    assertEquals(API_VERSIONS.keySet(), byKind.keySet());
  }

  private static String name(String kind) {
    return byKind.get(kind).path("metadata").path("name").asText();
  }

  private static JsonNode container() {
    JsonNode containers = byKind.get("Deployment").at("/spec/template/spec/containers");
    assertEquals(1, containers.size());
    return containers.get(0);
  }

  private static int containerPort(String name) {
    for (JsonNode port : container().path("ports")) {
      if (port.path("name").asText().equals(name)) return port.path("containerPort").asInt();
    }
    throw new AssertionError("the container has no port named " + name);
  }

  @Test
  void theObjectsReferToEachOtherByTheirNames() {
    JsonNode deployment = byKind.get("Deployment");
    JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
    deployment.at("/spec/selector/matchLabels").fields().forEachRemaining(label ->
        assertEquals(label.getValue(), podLabels.path(label.getKey()), "the selector's " + label.getKey()));
    byKind.get("Service").at("/spec/selector").fields().forEachRemaining(label ->
        assertEquals(label.getValue(), podLabels.path(label.getKey()), "the Service's selector " + label.getKey()));
    byKind.get("PodDisruptionBudget").at("/spec/selector/matchLabels").fields().forEachRemaining(label ->
        assertEquals(label.getValue(), podLabels.path(label.getKey()), "the budget's selector " + label.getKey()));
    for (JsonNode port : byKind.get("Service").at("/spec/ports")) containerPort(port.path("targetPort").asText());

    assertEquals(name("ServiceAccount"), deployment.at("/spec/template/spec/serviceAccountName").asText());
    JsonNode binding = byKind.get("RoleBinding");
    assertEquals(name("Role"), binding.at("/roleRef/name").asText());
    assertEquals("ServiceAccount", binding.at("/subjects/0/kind").asText());
    assertEquals(name("ServiceAccount"), binding.at("/subjects/0/name").asText());
    JsonNode rule = byKind.get("Role").at("/rules/0");
    assertEquals("pods", rule.at("/resources/0").asText());
    List<String> verbs = new ArrayList<>();
    rule.path("verbs").forEach(v -> verbs.add(v.asText()));
    assertTrue(verbs.containsAll(List.of("get", "watch", "list")), "verbs " + verbs);

    JsonNode hpa = byKind.get("HorizontalPodAutoscaler");
    assertEquals("Deployment", hpa.at("/spec/scaleTargetRef/kind").asText());
    assertEquals(name("Deployment"), hpa.at("/spec/scaleTargetRef/name").asText());
    assertEquals("pel_recommended_nodes", hpa.at("/spec/metrics/0/external/metric/name").asText());

    JsonNode secretVolume = deployment.at("/spec/template/spec/volumes/0/secret/secretName");
    for (JsonNode variable : container().path("env")) {
      JsonNode secret = variable.at("/valueFrom/secretKeyRef/name");
      if (!secret.isMissingNode()) assertEquals(secretVolume.asText(), secret.asText(), "the password comes with the key stores");
    }
    Set<String> volumes = new java.util.HashSet<>();
    deployment.at("/spec/template/spec/volumes").forEach(v -> volumes.add(v.path("name").asText()));
    container().path("volumeMounts").forEach(m -> assertTrue(volumes.contains(m.path("name").asText()), "mount " + m));
  }

  @Test
  void theProbesAskManagementsHealthChecksWhichIncludePelsReadiness() {
    Config config = PelNode.config(ConfigFactory.empty(), nodeEnvironment());
    String base = "pekko.management.health-checks.";
    assertEquals("/" + config.getString(base + "readiness-path"), container().at("/readinessProbe/httpGet/path").asText());
    assertEquals("/" + config.getString(base + "liveness-path"), container().at("/livenessProbe/httpGet/path").asText());
    assertEquals("management", container().at("/readinessProbe/httpGet/port").asText());
    assertEquals("management", container().at("/livenessProbe/httpGet/port").asText());
    assertEquals("io.pel.service.internal.ManagementReadinessCheck", config.getString(base + "readiness-checks.pel"));
    // With no port name, kubernetes-api discovery gives each pod's IP and Cluster Bootstrap probes it on the
    // management port (its fallback port), which the pod declares.
    assertEquals("", config.getString("pekko.management.cluster.bootstrap.contact-point-discovery.port-name"));
    assertEquals(containerPort("management"), config.getInt("pekko.management.http.port"));
  }

  @Test
  void theDeploymentsEnvironmentMakesANodeThatBootstrapsItsClusterOverMutualTls() {
    Map<String, String> env = nodeEnvironment();
    for (String name : env.keySet()) {
      if (name.startsWith("PEL_")) assertTrue(PelNode.environmentVariables().contains(name), name + " is no variable PEL reads");
    }
    Config config = PelNode.config(ConfigFactory.empty(), env);
    assertEquals("kubernetes-api", config.getString("pel.node.discovery"));
    assertEquals("kubernetes-api", config.getString("pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method"));
    assertEquals(List.of(), config.getStringList("pekko.cluster.seed-nodes"));
    assertEquals(POD_IP, config.getString("pekko.remote.artery.canonical.hostname"));
    assertEquals(containerPort("remoting"), config.getInt("pekko.remote.artery.canonical.port"));
    assertEquals(POD_IP, config.getString("pekko.management.http.hostname"));
    assertEquals(containerPort("management"), config.getInt("pekko.management.http.port"));
    String podLabel = byKind.get("Deployment").at("/spec/template/metadata/labels").path("app").asText();
    String selector = config.getString("pekko.discovery.kubernetes-api.pod-label-selector");
    assertEquals("app=" + podLabel, String.format(selector, config.getString(
        "pekko.management.cluster.bootstrap.contact-point-discovery.service-name")), "the pods discovery finds");
    assertEquals(byKind.get("Deployment").at("/spec/template/metadata/labels").path("app.kubernetes.io/version").asText(),
        config.getString("pekko.cluster.app-version"));
    assertEquals(TransportSecurity.Mode.CLUSTER_TLS, TransportSecurity.of(config));
    HttpSettings http = HttpSettings.fromConfig(config, env);
    assertEquals(containerPort("http"), http.port());
    assertEquals("0.0.0.0", http.host());

    long grace = byKind.get("Deployment").at("/spec/template/spec/terminationGracePeriodSeconds").asLong();
    long drain = config.getDuration("pekko.coordinated-shutdown.phases.pel-service-drain.timeout").toSeconds()
        + config.getDuration("pel.shutdown-drain-timeout").toSeconds();
    assertTrue(grace > drain + 5, "terminationGracePeriodSeconds " + grace + " leaves the drain (" + drain + " s) its time");
  }

  /**
   * The Deployment's environment as the node's process gets it: the pod's IP and labels filled in by
   * Kubernetes, the Secret's key stores and password replaced by the test kit's.
   */
  private static Map<String, String> nodeEnvironment() {
    Map<String, String> tls = TestTls.settings();
    JsonNode labels = byKind.get("Deployment").at("/spec/template/metadata/labels");
    Map<String, String> env = new HashMap<>();
    for (JsonNode variable : container().path("env")) {
      String name = variable.path("name").asText();
      String value;
      if (variable.has("value")) {
        value = variable.path("value").asText().replace("$(POD_IP)", POD_IP);
      } else if (variable.at("/valueFrom/fieldRef/fieldPath").asText().equals("status.podIP")) {
        value = POD_IP;
      } else if (variable.at("/valueFrom/fieldRef/fieldPath").asText().startsWith("metadata.labels['")) {
        String path = variable.at("/valueFrom/fieldRef/fieldPath").asText();
        value = labels.path(path.substring("metadata.labels['".length(), path.length() - 2)).asText();
      } else if (variable.at("/valueFrom/secretKeyRef/name").asText().equals("pel-tls")) {
        value = tls.get("pel.tls.password");
      } else {
        throw new AssertionError("an environment variable this test cannot fill in: " + variable);
      }
      env.put(name, value);
    }
    assertEquals("/etc/pel/tls/node.p12", env.get("PEL_TLS_KEY_STORE"));
    env.put("PEL_TLS_KEY_STORE", tls.get("pel.tls.key-store"));
    env.put("PEL_TLS_TRUST_STORE", tls.get("pel.tls.trust-store"));
    return env;
  }
}
