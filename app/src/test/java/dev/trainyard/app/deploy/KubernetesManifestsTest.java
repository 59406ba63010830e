package dev.trainyard.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every manifest in deploy/k8s parses as fabric8 model objects and has what production needs. */
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

  @Test
  void everyVariableTheConfigurationsReadIsProvidedAndEveryProvidedOneIsRead() throws IOException {
    Set<String> read = placeholders(Path.of("../worker/src/main/resources/example-worker.yml"));
    read.addAll(
        placeholders(DEPLOY.resolve("../../api-service/src/main/resources/example-api.yml")));
    Set<String> provided =
        new HashSet<>(named(ConfigMap.class, "trainyard-config").getData().keySet());
    Deployment worker = named(Deployment.class, "trainyard-worker");
    worker
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getEnv()
        .forEach(env -> provided.add(env.getName()));

    assertThat(read)
        .as("the worker's required settings come from the manifests")
        .contains(
            "TRAINYARD_DB_URL",
            "TRAINYARD_DB_PASSWORD",
            "TRAINYARD_JWT_SECRET",
            "TRAINYARD_TEMPORAL_TARGET",
            "TRAINYARD_LAUNCHER",
            "TRAINYARD_TRAINING_NAMESPACE");
    Set<String> unknown = new HashSet<>(provided);
    unknown.removeAll(read);
    assertThat(unknown)
        .as("variables the manifests set that example-worker.yml never reads")
        .isEmpty();
    assertThat(provided)
        .containsAll(
            Set.of(
                "TRAINYARD_DB_URL",
                "TRAINYARD_DB_PASSWORD",
                "TRAINYARD_JWT_SECRET",
                "TRAINYARD_TEMPORAL_TARGET",
                "TRAINYARD_LAUNCHER"));
  }

  private static Set<String> placeholders(Path yaml) throws IOException {
    Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+)").matcher(Files.readString(yaml));
    Set<String> names = new HashSet<>();
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
