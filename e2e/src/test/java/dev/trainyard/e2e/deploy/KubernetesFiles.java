package dev.trainyard.e2e.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.trainyard.e2e.support.Repository;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * deploy/k8s as {@code kubectl apply -k} would apply it: every manifest kustomization.yaml lists,
 * and each Deployment's containers as {@link ContainerSpec}s with the environment the cluster gives
 * them (ConfigMaps of {@code envFrom}, {@code env} values, Secret keys filled with values this test
 * makes, one per Secret key, as an operator creates them).
 */
final class KubernetesFiles {
  static final Path DIRECTORY = Repository.file("deploy/k8s");

  /** The kustomization's image name, built from this stage of app/Dockerfile (its header). */
  static final Map<String, String> IMAGE_STAGES = Map.of("trainyard", "trainyard");

  private final List<HasMetadata> resources;
  private final Map<String, String> secretValues = new LinkedHashMap<>();

  private KubernetesFiles(List<HasMetadata> resources) {
    this.resources = resources;
  }

  static KubernetesFiles read() throws IOException {
    JsonNode kustomization =
        new ObjectMapper(new YAMLFactory())
            .readTree(DIRECTORY.resolve("kustomization.yaml").toFile());
    List<HasMetadata> resources = new ArrayList<>();
    for (JsonNode file : kustomization.path("resources")) {
      for (String document :
          Files.readString(DIRECTORY.resolve(file.asText())).split("(?m)^---\\s*$")) {
        if (document.lines().anyMatch(l -> l.startsWith("kind:"))) {
          resources.add((HasMetadata) Serialization.unmarshal(document));
        }
      }
    }
    return new KubernetesFiles(resources);
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return resources.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> Optional<T> named(Class<T> type, String name) {
    return all(type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst();
  }

  /** The value of key {@code key} of Secret {@code secret}: made once, the same for every user. */
  String secret(String secret, String key) {
    return secretValues.computeIfAbsent(secret + "/" + key, k -> Secrets.hex(20));
  }

  List<ContainerSpec> trainyardContainers() {
    List<ContainerSpec> containers = new ArrayList<>();
    for (Deployment deployment : all(Deployment.class)) {
      for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
        String stage = IMAGE_STAGES.get(container.getImage());
        if (stage == null) {
          continue;
        }
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (ContainerPort port : container.getPorts()) {
          ports.put(port.getName(), port.getContainerPort());
        }
        containers.add(
            new ContainerSpec(
                "kubernetes",
                deployment.getMetadata().getName() + "/" + container.getName(),
                stage,
                List.copyOf(container.getArgs()),
                environment(container),
                probes(container),
                List.of(),
                ports));
      }
    }
    return containers;
  }

  private Map<String, String> environment(Container container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvFromSource source : container.getEnvFrom()) {
      String name = source.getConfigMapRef().getName();
      ConfigMap map =
          named(ConfigMap.class, name)
              .orElseThrow(
                  () -> new AssertionError(container.getName() + ": no ConfigMap " + name));
      env.putAll(map.getData());
    }
    for (EnvVar variable : container.getEnv()) {
      if (variable.getValueFrom() != null) {
        var ref = variable.getValueFrom().getSecretKeyRef();
        env.put(variable.getName(), secret(ref.getName(), ref.getKey()));
      } else {
        env.put(variable.getName(), variable.getValue() == null ? "" : variable.getValue());
      }
    }
    return env;
  }

  private static List<ContainerSpec.Probe> probes(Container container) {
    List<ContainerSpec.Probe> probes = new ArrayList<>();
    add(probes, "readiness", container.getReadinessProbe());
    add(probes, "liveness", container.getLivenessProbe());
    return probes;
  }

  private static void add(List<ContainerSpec.Probe> probes, String kind, Probe probe) {
    if (probe == null) {
      return;
    }
    if (probe.getExec() == null) {
      throw new AssertionError(
          kind + " probe must run in the container (the admin ports are on its loopback)");
    }
    probes.add(new ContainerSpec.Probe(kind, List.copyOf(probe.getExec().getCommand())));
  }

  /** The Service {@code name} in {@code namespace}, if deploy/k8s defines it. */
  Optional<Service> service(String name, String namespace) {
    return all(Service.class).stream()
        .filter(s -> s.getMetadata().getName().equals(name))
        .filter(s -> namespace.equals(s.getMetadata().getNamespace()))
        .findFirst();
  }
}
