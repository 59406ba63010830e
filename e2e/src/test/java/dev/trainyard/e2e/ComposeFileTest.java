package dev.trainyard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.e2e.support.ComposeYaml;
import dev.trainyard.e2e.support.Repository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs here, so docker-compose.yml is checked by reading it: the services the
 * stack needs, images built from Dockerfiles in this repository, healthchecks and the start-up
 * order they gate, the workers, published ports (each container's environment is checked by
 * deploy.DeployEnvironmentTest, and run by deploy.DeployShapesIT); and that the stack exposes
 * nothing by default (issue 13): only the API's user port leaves the machine, the local consoles
 * are on 127.0.0.1, the Temporal frontend is not published, every secret comes from .env with no
 * default, and the Temporal UI is read-only.
 */
class ComposeFileTest {
  private static final Set<String> ONE_SHOT = Set.of("temporal-setup", "minio-buckets");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+)(:-([^}]*))?}");

  /** Any compose interpolation: {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME:?msg}}. */
  private static final Pattern INTERPOLATION =
      Pattern.compile("\\$\\{([A-Z0-9_]+)(:?[-?+])?([^}]*)}");

  /** Host-side use of the local consoles: published, but on the loopback interface only. */
  private static final Set<String> LOOPBACK_ONLY =
      Set.of("temporal-ui", "mlflow", "minio", "grafana", "prometheus");

  static JsonNode services;

  @BeforeAll
  static void read() throws IOException {
    services = ComposeYaml.tree().path("services");
  }

  @Test
  void theStackHasEveryServiceTheDesignNames() {
    assertThat(names(services))
        .contains(
            "postgres",
            "temporal",
            "temporal-setup",
            "temporal-ui",
            "minio",
            "minio-buckets",
            "mlflow",
            "api-service",
            "worker-1",
            "worker-2");
  }

  @Test
  void ourServicesAreBuiltFromDockerfilesInTheRepository() {
    for (String name :
        Set.of("postgres", "temporal-setup", "mlflow", "api-service", "worker-1", "worker-2")) {
      JsonNode build = services.path(name).path("build");
      Path context =
          Repository.file(build.isTextual() ? build.asText() : build.path("context").asText());
      String dockerfile = build.path("dockerfile").asText("Dockerfile");
      assertThat(context).as(name + " build context").isDirectory();
      assertThat(context.resolve(dockerfile)).as(name + " Dockerfile").isRegularFile();
    }
    // One Dockerfile for the API and the workers: the distribution, and the workers' stage that
    // adds the Ultralytics trainer.
    for (String worker : Set.of("worker-1", "worker-2")) {
      JsonNode build = services.path(worker).path("build");
      assertThat(build.path("dockerfile"))
          .isEqualTo(services.path("api-service").path("build").path("dockerfile"));
      assertThat(build.path("target").asText()).isEqualTo("worker-ultralytics");
      assertThat(services.path(worker).path("image").asText())
          .isEqualTo("trainyard/trainyard-worker:0.1.0");
    }
    assertThat(services.path("api-service").path("build").path("target").asText())
        .isEqualTo("trainyard");
  }

  @Test
  void everyLongRunningServiceHasAHealthcheckAndStartsAfterWhatItNeedsIsReady() {
    for (String name : names(services)) {
      JsonNode service = services.path(name);
      if (ONE_SHOT.contains(name)) {
        assertThat(service.path("restart").asText()).as(name).isEqualTo("no");
      } else {
        assertThat(service.path("healthcheck").path("test").size())
            .as(name + " healthcheck")
            .isPositive();
      }
      for (String dependency : names(service.path("depends_on"))) {
        assertThat(names(services)).as(name + " depends on").contains(dependency);
        String condition = service.path("depends_on").path(dependency).path("condition").asText();
        assertThat(condition)
            .as(name + " -> " + dependency)
            .isEqualTo(
                ONE_SHOT.contains(dependency)
                    ? "service_completed_successfully"
                    : "service_healthy");
      }
      if (!Set.of("postgres", "minio", "loki").contains(name)) {
        assertThat(names(service.path("depends_on"))).as(name + " depends_on").isNotEmpty();
      }
    }
    // Workers must not poll before the search attributes exist (their workflows would wedge).
    for (String worker : Set.of("worker-1", "worker-2")) {
      assertThat(names(services.path(worker).path("depends_on")))
          .contains("temporal-setup", "api-service");
    }
    assertThat(names(services.path("api-service").path("depends_on"))).contains("temporal-setup");
  }

  @Test
  void twoWorkersAndPublishedPortsThatMatchTheConfiguration() {
    for (String worker : Set.of("worker-1", "worker-2")) {
      assertThat(services.path(worker).has("ports")).as("workers serve nothing").isFalse();
    }
    Map<String, String> api = environment("api-service");
    assertThat(services.path("api-service").path("ports").get(0).asText())
        .endsWith(":" + api.get("TRAINYARD_API_PORT"));
    assertThat(healthcheck("api-service"))
        .contains("localhost:" + api.get("TRAINYARD_ADMIN_PORT") + "/ready");
    assertThat(services.path("temporal-ui").path("ports").get(0).asText())
        .endsWith(":" + environment("temporal-ui").get("TEMPORAL_UI_PORT"));
  }

  @Test
  void onlyTheApisUserPortIsPublishedToOtherMachines() {
    Map<String, String> api = environment("api-service");
    for (String name : names(services)) {
      for (JsonNode port : services.path(name).path("ports")) {
        String[] parts = port.asText().split(":");
        if (name.equals("api-service")) {
          assertThat(port.asText())
              .as("the API publishes its user port, never the callback or admin one")
              .isEqualTo(api.get("TRAINYARD_API_PORT") + ":" + api.get("TRAINYARD_API_PORT"));
        } else {
          assertThat(LOOPBACK_ONLY).as(name + " publishes " + port.asText()).contains(name);
          assertThat(parts).as(name + " " + port.asText()).hasSize(3);
          assertThat(parts[0]).as(name + " binds to").isEqualTo("127.0.0.1");
        }
      }
    }
    assertThat(services.path("api-service").path("ports")).hasSize(1);
    for (String name : LOOPBACK_ONLY) {
      assertThat(services.path(name).path("ports")).as(name).hasSize(1);
    }
    // The MinIO console, not its S3 port; the Temporal frontend and PostgreSQL not at all.
    assertThat(services.path("minio").path("ports").get(0).asText()).endsWith(":9001");
    for (String unpublished :
        Set.of("temporal", "postgres", "worker-1", "worker-2", "temporal-setup")) {
      assertThat(services.path(unpublished).has("ports")).as(unpublished).isFalse();
      assertThat(services.path(unpublished).has("expose")).as(unpublished).isFalse();
    }
    for (String name : names(services)) {
      assertThat(services.path(name).path("network_mode").asText())
          .as(name + " on the host's network would publish every port it opens")
          .isNotEqualTo("host");
    }
  }

  @Test
  void everySecretComesFromDotEnvWithoutADefault() throws IOException {
    String compose =
        Files.readString(Repository.file("docker-compose.yml"), StandardCharsets.UTF_8);
    Set<String> required = new LinkedHashSet<>();
    Matcher m = INTERPOLATION.matcher(compose);
    while (m.find()) {
      String name = m.group(1);
      String operator = m.group(2) == null ? "" : m.group(2);
      if (isSecret(name)) {
        assertThat(operator)
            .as(
                "${"
                    + name
                    + "} must be ${"
                    + name
                    + ":?message}: compose refuses to start without it")
            .isEqualTo(":?");
        assertThat(m.group(3)).as(name + "'s message").contains(".env");
        required.add(name);
      }
    }
    assertThat(required)
        .contains(
            "TRAINYARD_JWT_SECRET",
            "POSTGRES_PASSWORD",
            "TRAINYARD_DB_PASSWORD",
            "TEMPORAL_DB_PASSWORD",
            "MLFLOW_DB_PASSWORD",
            "MINIO_ROOT_USER",
            "MINIO_ROOT_PASSWORD",
            "TRAINYARD_S3_ACCESS_KEY",
            "TRAINYARD_S3_SECRET_KEY");
    // No literal credential in any service's environment either.
    for (String name : names(services)) {
      environment(name)
          .forEach(
              (key, value) -> {
                if (isSecret(key) || key.equals("POSTGRES_PWD") || key.startsWith("AWS_")) {
                  assertThat(value).as(name + " " + key).startsWith("${").contains(":?");
                }
              });
    }

    // .env.example names exactly these, with no value, and says how to make one.
    Map<String, String> example = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Repository.file(".env.example"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String[] kv = line.split("=", 2);
        example.put(kv[0].trim(), kv.length > 1 ? kv[1].trim() : "");
      }
    }
    assertThat(example.keySet()).containsExactlyInAnyOrderElementsOf(required);
    assertThat(example.values()).as("no value in the example").allMatch(String::isEmpty);
    assertThat(Files.readString(Repository.file(".env.example"))).contains("openssl rand");
    assertThat(Files.readAllLines(Repository.file(".gitignore"))).contains("/.env");
  }

  @Test
  void theTemporalUiIsReadOnlyAndTheApiAdminPortStaysOnTheComposeNetwork() throws IOException {
    assertThat(environment("temporal-ui")).containsEntry("TEMPORAL_DISABLE_WRITE_ACTIONS", "true");

    // on the compose network for the observability profile's Prometheus, never published
    // (ObservabilityProfileTest checks the ports); the YAML's own default stays the loopback
    Map<String, String> api = environment("api-service");
    assertThat(api).containsEntry("TRAINYARD_ADMIN_BIND_HOST", "0.0.0.0");
    assertThat(placeholders(Repository.file("api-service/src/main/resources/example-api.yml")))
        .containsEntry("TRAINYARD_ADMIN_BIND_HOST", "127.0.0.1");
    assertThat(healthcheck("api-service"))
        .contains("http://localhost:" + api.get("TRAINYARD_ADMIN_PORT") + "/ready");
  }

  @Test
  void trainersCallTheApisCallbackPortOverTheComposeNetwork() throws IOException {
    Map<String, String> api = environment("api-service");
    String callbackPort = api.get("TRAINYARD_CALLBACK_PORT");
    assertThat(callbackPort)
        .isNotBlank()
        .isNotEqualTo(api.get("TRAINYARD_API_PORT"))
        .isNotEqualTo(api.get("TRAINYARD_ADMIN_PORT"));
    assertThat(environment("worker-1").get("TRAINYARD_BACKEND_URL"))
        .isEqualTo("http://api-service:" + callbackPort);
    // example-api.yml serves the callbacks on the connector that TRAINYARD_CALLBACK_PORT sets
    String yaml =
        Files.readString(Repository.file("api-service/src/main/resources/example-api.yml"));
    assertThat(yaml).contains("port: ${TRAINYARD_CALLBACK_PORT:-");
    assertThat(yaml.split(Pattern.quote("${TRAINYARD_CALLBACK_PORT:-"), -1))
        .as("callbacks.port and the connector's port")
        .hasSize(3);
  }

  private static boolean isSecret(String name) {
    return name.contains("PASSWORD")
        || name.contains("SECRET")
        || name.endsWith("_PWD")
        || name.endsWith("_ACCESS_KEY")
        || name.equals("MINIO_ROOT_USER");
  }

  @Test
  void theImageHoldsTheConfigurationsTheCommandsName() throws IOException {
    assertImageConfig("api-service", "api-service/src/main/resources/example-api.yml");
    assertImageConfig("worker-1", "worker/src/main/resources/example-worker.yml");
    // The scripted trainer's path in example-worker.yml resolves inside the image.
    assertThat(placeholders(Repository.file("worker/src/main/resources/example-worker.yml")))
        .containsEntry("TRAINYARD_HOME", "/opt/trainyard");
    assertThat(dockerfile())
        .contains("COPY examples/ /opt/trainyard/examples/")
        .contains("TRAINYARD_HOME=/opt/trainyard");
  }

  @Test
  void temporalGetsTheRepositorysDynamicConfigAndPostgresTheDatabases() throws IOException {
    JsonNode temporal = services.path("temporal");
    String mount = temporal.path("volumes").get(0).asText();
    assertThat(mount)
        .startsWith("./temporal-config/dynamicconfig:/etc/temporal/config/dynamicconfig");
    String file = environment("temporal").get("DYNAMIC_CONFIG_FILE_PATH");
    assertThat(
            Repository.file("temporal-config/dynamicconfig").resolve(Path.of(file).getFileName()))
        .isRegularFile();
    assertThat(environment("temporal-setup").get("TEMPORAL_ADDRESS")).isEqualTo("temporal:7233");
    assertThat(environment("temporal-ui").get("TEMPORAL_ADDRESS")).isEqualTo("temporal:7233");

    String init = Files.readString(Repository.file("docker/postgres/initdb/10-trainyard.sh"));
    assertThat(init)
        .contains("CREATE DATABASE trainyard OWNER trainyard")
        .contains("CREATE DATABASE mlflow OWNER mlflow")
        .contains("CREATE ROLE temporal LOGIN CREATEDB");
    assertThat(environment("api-service").get("TRAINYARD_DB_URL"))
        .endsWith("//postgres:5432/trainyard");
    assertThat(environment("temporal").get("POSTGRES_USER")).isEqualTo("temporal");
    assertThat(String.join(" ", texts(services.path("mlflow").path("command"))))
        .contains("@postgres:5432/mlflow")
        .contains("s3://mlflow");
    assertThat(String.join(" ", texts(services.path("minio-buckets").path("entrypoint"))))
        .contains("store/mlflow")
        .contains("store/trainyard");
  }

  // --- helpers -----------------------------------------------------------------------------

  /** The command's config path is where the image copies the shipped example config. */
  private static void assertImageConfig(String service, String exampleConfig) throws IOException {
    String configPath = services.path(service).path("command").get(1).asText();
    assertThat(dockerfile()).contains("COPY " + exampleConfig + " " + configPath);
  }

  private static String dockerfile() throws IOException {
    return Files.readString(Repository.file("app/Dockerfile"), StandardCharsets.UTF_8);
  }

  /** Every {@code ${NAME}} / {@code ${NAME:-default}} the file reads, with its default. */
  static Map<String, String> placeholders(Path yaml) throws IOException {
    Map<String, String> found = new HashMap<>();
    Matcher m = PLACEHOLDER.matcher(Files.readString(yaml, StandardCharsets.UTF_8));
    while (m.find()) {
      found.put(m.group(1), m.group(3) == null ? "" : m.group(3));
    }
    return found;
  }

  private static Map<String, String> environment(String service) {
    JsonNode env = services.path(service).path("environment");
    Map<String, String> values = new LinkedHashMap<>();
    if (env.isArray()) {
      env.forEach(
          e -> {
            String[] kv = e.asText().split("=", 2);
            values.put(kv[0], kv.length > 1 ? kv[1] : "");
          });
    } else {
      for (Iterator<Map.Entry<String, JsonNode>> it = env.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        values.put(e.getKey(), e.getValue().asText());
      }
    }
    return values;
  }

  private static String healthcheck(String service) {
    return String.join(" ", texts(services.path(service).path("healthcheck").path("test")));
  }

  private static Set<String> texts(JsonNode array) {
    Set<String> out = new LinkedHashSet<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static Set<String> names(JsonNode node) {
    Set<String> out = new LinkedHashSet<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
