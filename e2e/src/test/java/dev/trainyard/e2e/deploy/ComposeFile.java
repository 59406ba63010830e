package dev.trainyard.e2e.deploy;

import dev.trainyard.e2e.support.ComposeYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker-compose.yml as compose reads it: YAML merge keys resolved (the workers share {@code
 * x-worker}; Jackson's YAML reader would not resolve them), {@code ${…}} filled from a .env, and
 * the services built from app/Dockerfile turned into {@link ContainerSpec}s.
 */
final class ComposeFile {
  static final String DOCKERFILE = "app/Dockerfile";

  private final Map<String, Object> services;
  private final Map<String, String> dotEnv;

  private ComposeFile(Map<String, Object> services, Map<String, String> dotEnv) {
    this.services = services;
    this.dotEnv = dotEnv;
  }

  @SuppressWarnings("unchecked")
  static ComposeFile read(Map<String, String> dotEnv) throws IOException {
    return new ComposeFile((Map<String, Object>) ComposeYaml.load().get("services"), dotEnv);
  }

  /** Every service's definition, merge keys resolved, before interpolation. */
  Map<String, Object> services() {
    return services;
  }

  /** The services that run the distribution (built from app/Dockerfile). */
  @SuppressWarnings("unchecked")
  List<ContainerSpec> trainyardContainers() {
    List<ContainerSpec> containers = new ArrayList<>();
    services.forEach(
        (name, definition) -> {
          Map<String, Object> service = (Map<String, Object>) definition;
          if (!(service.get("build") instanceof Map<?, ?> build)
              || !DOCKERFILE.equals(build.get("dockerfile"))) {
            return;
          }
          containers.add(
              new ContainerSpec(
                  "compose",
                  name,
                  String.valueOf(build.get("target")),
                  strings(service.get("command")),
                  environment(service),
                  probes(service),
                  mounts(service),
                  Map.of()));
        });
    return containers;
  }

  /** {@code service}'s environment, interpolated. */
  @SuppressWarnings("unchecked")
  Map<String, String> environment(String service) {
    return environment((Map<String, Object>) services.get(service));
  }

  /** {@code service}'s published ports, interpolated ("127.0.0.1:8233:8080", "8080:8080"). */
  @SuppressWarnings("unchecked")
  List<String> ports(String service) {
    return strings(((Map<String, Object>) services.get(service)).get("ports"));
  }

  @SuppressWarnings("unchecked")
  private Map<String, String> environment(Map<String, Object> service) {
    Map<String, String> env = new LinkedHashMap<>();
    Object declared = service.get("environment");
    if (declared instanceof Map<?, ?> map) {
      map.forEach(
          (k, v) ->
              env.put(
                  String.valueOf(k),
                  v == null ? "" : Interpolation.apply(String.valueOf(v), dotEnv)));
    } else if (declared instanceof List<?> list) {
      for (Object entry : list) {
        String[] kv = String.valueOf(entry).split("=", 2);
        env.put(kv[0], kv.length > 1 ? Interpolation.apply(kv[1], dotEnv) : "");
      }
    }
    return env;
  }

  @SuppressWarnings("unchecked")
  private List<ContainerSpec.Probe> probes(Map<String, Object> service) {
    if (!(service.get("healthcheck") instanceof Map<?, ?> healthcheck)) {
      return List.of();
    }
    List<String> test = strings(healthcheck.get("test"));
    List<String> command =
        switch (test.get(0)) {
          case "CMD" -> test.subList(1, test.size());
          case "CMD-SHELL" -> List.of("sh", "-c", String.join(" ", test.subList(1, test.size())));
          default -> throw new AssertionError("healthcheck.test must start with CMD: " + test);
        };
    return List.of(new ContainerSpec.Probe("healthcheck", command));
  }

  private List<ContainerSpec.Mount> mounts(Map<String, Object> service) {
    List<ContainerSpec.Mount> mounts = new ArrayList<>();
    for (String volume : strings(service.get("volumes"))) {
      String[] parts = volume.split(":");
      mounts.add(
          new ContainerSpec.Mount(parts[0], parts[1], parts.length > 2 && parts[2].contains("ro")));
    }
    return mounts;
  }

  private List<String> strings(Object list) {
    List<String> out = new ArrayList<>();
    if (list instanceof List<?> items) {
      items.forEach(item -> out.add(Interpolation.apply(String.valueOf(item), dotEnv)));
    }
    return out;
  }

  /** The .env a user makes from .env.example: a fresh value for every variable it names. */
  static Map<String, String> dotEnvFromExample(Path example) throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : Files.readAllLines(example)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String name = line.split("=", 2)[0].trim();
        // within MinIO's limits (.env.example): 20 characters for a key, 40 for a secret
        values.put(name, Secrets.hex(name.endsWith("_ACCESS_KEY") ? 10 : 20));
      }
    }
    return values;
  }
}
