package dev.trainyard.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.trainyard.api.TrainyardApiConfiguration;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.text.StringSubstitutor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every manifest in deploy/k8s parses as fabric8 model objects and has what production needs: the
 * users' and the trainers' Services on the API's two connectors, the shipped API configuration
 * valid with the ConfigMap's values, and NetworkPolicies under which a trainer pod reaches the
 * callback port and nothing else of Trainyard (evaluated by {@link NetworkPolicyModel}).
 */
class KubernetesManifestsTest {
  static final Path DEPLOY = locate();
  static List<HasMetadata> resources;

  static Path locate() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("deploy/k8s"))) {
        return dir.resolve("deploy/k8s");
      }
    }
    throw new IllegalStateException("deploy/k8s not found above " + Path.of("").toAbsolutePath());
  }

  @BeforeAll
  static void parseAll() throws IOException {
    resources = new ArrayList<>();
    JsonNode kustomization =
        new ObjectMapper(new YAMLFactory()).readTree(DEPLOY.resolve("kustomization.yaml").toFile());
    List<String> listed = new ArrayList<>();
    kustomization.get("resources").forEach(r -> listed.add(r.asText()));
    try (Stream<Path> files = Files.list(DEPLOY)) {
      assertThat(
              files
                  .map(f -> f.getFileName().toString())
                  .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")))
          .as("every manifest is listed in kustomization.yaml")
          .containsExactlyInAnyOrderElementsOf(listed);
    }
    for (String file : listed) {
      for (String document : Files.readString(DEPLOY.resolve(file)).split("(?m)^---\\s*$")) {
        if (document.lines().anyMatch(l -> l.startsWith("kind:"))) {
          Object parsed = Serialization.unmarshal(document);
          assertThat(parsed).as(file).isInstanceOf(HasMetadata.class);
          resources.add((HasMetadata) parsed);
        }
      }
    }
  }

  static <T extends HasMetadata> List<T> all(Class<T> type) {
    return resources.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static <T extends HasMetadata> T named(Class<T> type, String name) {
    return all(type).stream()
        .filter(r -> r.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }

  @Test
  void workersAndTheApiAreDeployedWithAServiceInFrontOfTheApi() {
    assertThat(named(Deployment.class, "trainyard-worker").getSpec().getReplicas())
        .isGreaterThanOrEqualTo(2);
    Deployment api = named(Deployment.class, "trainyard-api");
    assertThat(api.getSpec().getReplicas()).isGreaterThanOrEqualTo(1);
    Service service = named(Service.class, "trainyard-api");
    assertThat(service.getSpec().getSelector())
        .isEqualTo(api.getSpec().getSelector().getMatchLabels());
    for (Deployment deployment : all(Deployment.class)) {
      assertThat(
              deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot())
          .as(deployment.getMetadata().getName())
          .isTrue();
      assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
          .isEqualTo("trainyard");
    }
  }

  @Test
  void theRoleIsLimitedToJobsPodsLogsAndSecretsInTheTrainingNamespace() {
    Role role = named(Role.class, "trainyard-launcher");
    assertThat(role.getMetadata().getNamespace()).isEqualTo("trainyard-training");
    Set<String> resourcesGranted = new HashSet<>();
    for (PolicyRule rule : role.getRules()) {
      resourcesGranted.addAll(rule.getResources());
      assertThat(rule.getVerbs()).doesNotContain("*");
      assertThat(rule.getResources()).doesNotContain("*");
    }
    assertThat(resourcesGranted).containsExactlyInAnyOrder("jobs", "pods", "pods/log", "secrets");
    PolicyRule jobs =
        role.getRules().stream()
            .filter(r -> r.getResources().contains("jobs"))
            .findFirst()
            .orElseThrow();
    assertThat(jobs.getApiGroups()).containsExactly("batch");
    assertThat(jobs.getVerbs()).contains("create", "get", "patch", "delete");
    PolicyRule secrets =
        role.getRules().stream()
            .filter(r -> r.getResources().contains("secrets"))
            .findFirst()
            .orElseThrow();
    assertThat(secrets.getVerbs()).containsExactlyInAnyOrder("get", "create", "delete");
    assertThat(all(io.fabric8.kubernetes.api.model.rbac.ClusterRole.class)).isEmpty();

    RoleBinding binding = named(RoleBinding.class, "trainyard-launcher");
    assertThat(binding.getRoleRef().getName()).isEqualTo("trainyard-launcher");
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getName()).isEqualTo("trainyard");
              assertThat(s.getNamespace())
                  .isEqualTo(named(ServiceAccount.class, "trainyard").getMetadata().getNamespace());
            });
  }

  @Test
  void secretsAreReferencedNeverInlined() {
    assertThat(all(Secret.class)).isEmpty();
    for (Deployment deployment : all(Deployment.class)) {
      for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
        for (EnvVar env : container.getEnv()) {
          if (env.getName().contains("PASSWORD")
              || env.getName().contains("SECRET")
              || env.getName().contains("KEY")) {
            assertThat(env.getValue()).as(env.getName()).isNull();
            assertThat(env.getValueFrom().getSecretKeyRef()).as(env.getName()).isNotNull();
          }
        }
      }
    }
  }

  // Each container's variables against what its own process reads (never the API's and the
  // worker's pooled): e2e's deploy.DeployEnvironmentTest, and deploy.DeployShapesIT runs them.

  @Test
  void eachDeploymentTakesTheCommonConfigMapAndItsOwn() {
    for (String deployment : List.of("trainyard-api", "trainyard-worker")) {
      Container container =
          named(Deployment.class, deployment)
              .getSpec()
              .getTemplate()
              .getSpec()
              .getContainers()
              .get(0);
      assertThat(container.getEnvFrom())
          .extracting(source -> source.getConfigMapRef().getName())
          .containsExactly("trainyard-common", deployment);
    }
  }

  /** What the API container gets from its ConfigMaps (the common one and its own). */
  private static Map<String, String> config() {
    Map<String, String> data = new HashMap<>(named(ConfigMap.class, "trainyard-common").getData());
    data.putAll(named(ConfigMap.class, "trainyard-api").getData());
    return data;
  }

  private static Container apiContainer() {
    return named(Deployment.class, "trainyard-api")
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0);
  }

  private static Map<String, String> apiPodLabels() {
    return named(Deployment.class, "trainyard-api")
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getLabels();
  }

  private static int containerPort(String name) {
    return apiContainer().getPorts().stream()
        .filter(p -> name.equals(p.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("the API container has no port " + name))
        .getContainerPort();
  }

  @Test
  void usersAndTrainersReachTheApiThroughServicesOfTheirOwn() {
    Map<String, String> config = config();
    int userPort = Integer.parseInt(config.get("TRAINYARD_API_PORT"));
    int callbackPort = Integer.parseInt(config.get("TRAINYARD_CALLBACK_PORT"));
    assertThat(callbackPort).isNotEqualTo(userPort);
    assertThat(containerPort("http")).isEqualTo(userPort);
    assertThat(containerPort("callbacks")).isEqualTo(callbackPort);
    // the admin port is named for Prometheus's pod discovery; no Service points at it (below)
    assertThat(apiContainer().getPorts()).hasSize(3);
    assertThat(containerPort("admin"))
        .isEqualTo(Integer.parseInt(config.get("TRAINYARD_ADMIN_PORT")));

    Service users = named(Service.class, "trainyard-api");
    Service trainers = named(Service.class, "trainyard-callbacks");
    for (Service service : List.of(users, trainers)) {
      assertThat(service.getMetadata().getNamespace()).isEqualTo("trainyard");
      assertThat(service.getSpec().getSelector()).isNotEmpty();
      assertThat(apiPodLabels()).containsAllEntriesOf(service.getSpec().getSelector());
      assertThat(service.getSpec().getPorts()).as(service.getMetadata().getName()).hasSize(1);
    }
    assertThat(users.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("http");
    assertThat(trainers.getSpec().getPorts().get(0).getTargetPort().getStrVal())
        .isEqualTo("callbacks");
    assertThat(trainers.getSpec().getType()).isIn(null, "ClusterIP");
    assertThat(all(Service.class)).as("no other Service selects the API pods").hasSize(2);

    // The workers hand this to every trainer as BACKEND_BASE_URL.
    assertThat(
            named(ConfigMap.class, "trainyard-worker")
                .getData()
                .get("TRAINYARD_TRAINER_BACKEND_URL"))
        .isEqualTo(
            "http://trainyard-callbacks.trainyard.svc:"
                + trainers.getSpec().getPorts().get(0).getPort());
  }

  @Test
  void theProbesCallTheAdminPortFromInsideThePod() {
    String admin = "http://127.0.0.1:" + config().get("TRAINYARD_ADMIN_PORT");
    // ready: the database answers; alive: the admin port answers (a Temporal outage is neither)
    assertThat(apiContainer().getReadinessProbe().getExec().getCommand())
        .contains("curl", "-fsS", admin + "/ready");
    assertThat(apiContainer().getLivenessProbe().getExec().getCommand())
        .contains("curl", "-fsS", admin + "/ping");
    for (var probe :
        List.of(apiContainer().getReadinessProbe(), apiContainer().getLivenessProbe())) {
      assertThat(probe.getHttpGet()).isNull();
    }
    // the admin port listens on the pod's address for Prometheus; the NetworkPolicies decide who
    // reaches it (theAdminPortsAdmitTheMonitoringNamespaceAlone)
    assertThat(config()).containsEntry("TRAINYARD_ADMIN_BIND_HOST", "0.0.0.0");
  }

  @Test
  void theShippedApiConfigurationIsValidWithTheConfigMapsValues() throws Exception {
    Map<String, String> env = new HashMap<>(config());
    // the Secrets' values, as the Deployment maps them
    for (EnvVar var : apiContainer().getEnv()) {
      assertThat(var.getValueFrom().getSecretKeyRef()).as(var.getName()).isNotNull();
      env.put(var.getName(), "a-secret-value-that-is-at-least-32-bytes-long");
    }
    String yaml =
        new StringSubstitutor(env)
            .replace(
                Files.readString(
                    DEPLOY.resolve("../../api-service/src/main/resources/example-api.yml")));
    TrainyardApiConfiguration api =
        new YamlConfigurationFactory<>(
                TrainyardApiConfiguration.class,
                Validators.newValidator(),
                Jackson.newObjectMapper(),
                "dw")
            .build(
                path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                "example-api.yml");

    DefaultServerFactory server = (DefaultServerFactory) api.getServerFactory();
    assertThat(server.getApplicationConnectors())
        .extracting(c -> ((HttpConnectorFactory) c).getPort())
        .containsExactly(containerPort("http"), containerPort("callbacks"));
    assertThat(api.getCallbacks().getPort()).isEqualTo(containerPort("callbacks"));
    assertThat(server.getAdminConnectors())
        .singleElement()
        .satisfies(
            admin -> {
              assertThat(((HttpConnectorFactory) admin).getBindHost()).isEqualTo("0.0.0.0");
              assertThat(((HttpConnectorFactory) admin).getPort())
                  .isEqualTo(Integer.parseInt(config().get("TRAINYARD_ADMIN_PORT")));
            });
    assertThat(api.isDevMode()).isFalse();
  }

  @Test
  void trainerPodsReachTheCallbackPortAndNothingElseOfTrainyard() {
    NetworkPolicyModel network = new NetworkPolicyModel(all(NetworkPolicy.class));
    String training = "trainyard-training";
    Map<String, String> trainer = Map.of("job-name", "trainyard-job-42");
    Map<String, String> api = apiPodLabels();
    Map<String, String> worker =
        named(Deployment.class, "trainyard-worker")
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getLabels();
    int callbacks = containerPort("callbacks");
    int users = containerPort("http");
    int admin = Integer.parseInt(config().get("TRAINYARD_ADMIN_PORT"));

    assertThat(network.allows(training, trainer, "trainyard", api, callbacks)).isTrue();
    assertThat(network.allows(training, trainer, "trainyard", api, users)).isFalse();
    // each side refuses on its own: the trainers' egress, and the API pods' ingress (which also
    // holds for a trainer pod whose namespace lost its policy)
    assertThat(network.egressAllows(training, trainer, "trainyard", api, users)).isFalse();
    assertThat(network.ingressAllows(training, trainer, "trainyard", api, users)).isFalse();
    assertThat(network.ingressAllows(training, trainer, "trainyard", api, admin)).isFalse();
    assertThat(network.ingressAllows(training, trainer, "trainyard", worker, 8080)).isFalse();
    assertThat(
            network.ingressAllows(training, trainer, "trainyard", Map.of("app", "postgres"), 5432))
        .isFalse();
    assertThat(network.allows(training, trainer, "trainyard", api, admin)).isFalse();
    assertThat(network.allows(training, trainer, "trainyard", worker, 8080)).isFalse();
    // PostgreSQL and Temporal, wherever they run in the cluster, on their ports
    for (String namespace : List.of("trainyard", "temporal", "default", training)) {
      for (int port : List.of(5432, 7233, 7234, 7235, 7239, 8233)) {
        assertThat(
                network.allows(
                    training, trainer, namespace, Map.of("app.kubernetes.io/name", "x"), port))
            .as(namespace + ":" + port)
            .isFalse();
      }
    }
    // nor another trainer (a debug server, a leaked token)
    assertThat(network.allows(training, trainer, training, trainer, 8080)).isFalse();
    // what a trainer does need
    assertThat(network.allows(training, trainer, "kube-system", Map.of("k8s-app", "kube-dns"), 53))
        .isTrue();
    assertThat(
            network.allows(
                training, trainer, "trainyard", Map.of("app.kubernetes.io/name", "minio"), 9000))
        .isTrue();
    // addresses outside the cluster only: pods, Services, nodes and the metadata service are out
    assertThat(network.trainerIpBlocksExclude(training))
        .contains("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16");
  }

  @Test
  void theAdminPortsAdmitTheMonitoringNamespaceAlone() {
    NetworkPolicyModel network = new NetworkPolicyModel(all(NetworkPolicy.class));
    Map<String, String> api = apiPodLabels();
    Map<String, String> worker =
        named(Deployment.class, "trainyard-worker")
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getLabels();
    int apiAdmin = containerPort("admin");
    int workerAdmin =
        named(Deployment.class, "trainyard-worker")
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getPorts()
            .stream()
            .filter(p -> "admin".equals(p.getName()))
            .findFirst()
            .orElseThrow()
            .getContainerPort();
    Map<String, String> prometheus = Map.of("app.kubernetes.io/name", "prometheus");
    assertThat(network.allows("monitoring", prometheus, "trainyard", api, apiAdmin)).isTrue();
    assertThat(network.allows("monitoring", prometheus, "trainyard", worker, workerAdmin)).isTrue();
    assertThat(network.allows("monitoring", prometheus, "trainyard", api, containerPort("http")))
        .as("users come through the user port's policy, not the monitoring one")
        .isTrue();
    assertThat(
            network.allows("monitoring", prometheus, "trainyard", api, containerPort("callbacks")))
        .isFalse();
    for (String outsider : List.of("ingress-nginx", "ci", "trainyard-training")) {
      assertThat(network.allows(outsider, Map.of(), "trainyard", api, apiAdmin))
          .as(outsider)
          .isFalse();
      assertThat(network.allows(outsider, Map.of(), "trainyard", worker, workerAdmin))
          .as(outsider)
          .isFalse();
    }
  }

  @Test
  void theApiAcceptsUsersOnTheUserPortAndTrainersOnTheCallbackPortOnly() {
    NetworkPolicyModel network = new NetworkPolicyModel(all(NetworkPolicy.class));
    Map<String, String> api = apiPodLabels();
    Map<String, String> worker =
        named(Deployment.class, "trainyard-worker")
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getLabels();
    Map<String, String> ingressController = Map.of("app.kubernetes.io/name", "ingress-nginx");
    int callbacks = containerPort("callbacks");
    int users = containerPort("http");

    assertThat(network.allows("ingress-nginx", ingressController, "trainyard", api, users))
        .isTrue();
    assertThat(network.allows("ingress-nginx", ingressController, "trainyard", api, callbacks))
        .as("the callback port is the training namespace's alone")
        .isFalse();
    assertThat(network.allows("ci", Map.of(), "trainyard", worker, 8080)).isFalse();
    assertThat(network.allows("ci", Map.of(), "trainyard", Map.of("app", "postgres"), 5432))
        .isFalse();
    // the control plane among itself: the workers reach the API and PostgreSQL
    assertThat(network.allows("trainyard", worker, "trainyard", api, users)).isTrue();
    assertThat(network.allows("trainyard", api, "trainyard", Map.of("app", "postgres"), 5432))
        .isTrue();
    // and every pod of the namespace is covered by a default deny
    assertThat(all(NetworkPolicy.class))
        .anySatisfy(
            p -> {
              assertThat(p.getMetadata().getNamespace()).isEqualTo("trainyard");
              assertThat(p.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
              assertThat(p.getSpec().getPodSelector().getMatchExpressions()).isNullOrEmpty();
              assertThat(p.getSpec().getPolicyTypes()).containsExactly("Ingress");
              assertThat(p.getSpec().getIngress()).isEmpty();
            });
  }
}
