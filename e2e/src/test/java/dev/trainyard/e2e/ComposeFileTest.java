package dev.trainyard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
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
 * order they gate, worker replicas, published ports, and environment variables that are exactly the
 * ones the API's and the worker's YAML read.
 */
class ComposeFileTest {
  private static final Set<String> ONE_SHOT = Set.of("temporal-setup", "minio-buckets");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+)(:-([^}]*))?}");
  static JsonNode services;

  @BeforeAll
  static void read() throws IOException {
    JsonNode compose =
        new ObjectMapper(new YAMLFactory())
            .readTree(Repository.file("docker-compose.yml").toFile());
    services = compose.path("services");
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
            "worker");
  }

  @Test
  void ourServicesAreBuiltFromDockerfilesInTheRepository() {
    for (String name : Set.of("postgres", "temporal-setup", "mlflow", "api-service", "worker")) {
      JsonNode build = services.path(name).path("build");
      Path context =
          Repository.file(build.isTextual() ? build.asText() : build.path("context").asText());
      String dockerfile = build.path("dockerfile").asText("Dockerfile");
      assertThat(context).as(name + " build context").isDirectory();
      assertThat(context.resolve(dockerfile)).as(name + " Dockerfile").isRegularFile();
    }
    // One distribution image for the API and the workers.
    assertThat(services.path("worker").path("build"))
        .isEqualTo(services.path("api-service").path("build"));
    assertThat(services.path("worker").path("image").asText())
        .isEqualTo(services.path("api-service").path("image").asText())
        .isNotBlank();
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
      if (!name.equals("postgres") && !name.equals("minio")) {
        assertThat(names(service.path("depends_on"))).as(name + " depends_on").isNotEmpty();
      }
    }
    // Workers must not poll before the search attributes exist (their workflows would wedge).
    assertThat(names(services.path("worker").path("depends_on")))
        .contains("temporal-setup", "api-service");
    assertThat(names(services.path("api-service").path("depends_on"))).contains("temporal-setup");
  }

  @Test
  void twoWorkersAndPublishedPortsThatMatchTheConfiguration() {
    assertThat(services.path("worker").path("deploy").path("replicas").asInt()).isEqualTo(2);
    assertThat(services.path("worker").has("ports")).as("workers serve nothing").isFalse();
    Map<String, String> api = environment("api-service");
    assertThat(services.path("api-service").path("ports").get(0).asText())
        .endsWith(":" + api.get("TRAINYARD_API_PORT"));
    assertThat(healthcheck("api-service"))
        .contains("localhost:" + api.get("TRAINYARD_ADMIN_PORT") + "/healthcheck");
    assertThat(services.path("temporal").path("ports").get(0).asText()).isEqualTo("7233:7233");
    assertThat(services.path("temporal-ui").path("ports").get(0).asText())
        .endsWith(":" + environment("temporal-ui").get("TEMPORAL_UI_PORT"));
  }

  @Test
  void theApiEnvironmentIsExactlyWhatItsYamlReads() throws IOException {
    Map<String, String> env = environment("api-service");
    Map<String, String> read =
        placeholders(Repository.file("api-service/src/main/resources/example-api.yml"));

    assertThat(read).containsKeys(env.keySet().toArray(String[]::new));
    assertThat(env)
        .containsKeys(
            "TRAINYARD_DB_URL",
            "TRAINYARD_DB_USER",
            "TRAINYARD_DB_PASSWORD",
            "TEMPORAL_ADDRESS",
            "TRAINYARD_JWT_SECRET");
    assertThat(env.get("TEMPORAL_ADDRESS")).isEqualTo("temporal:7233");
    assertThat(env.get("TRAINYARD_JWT_SECRET"))
        .as("no default secret")
        .startsWith("${TRAINYARD_JWT_SECRET:?");
    assertImageConfig("api-service", "api-service/src/main/resources/example-api.yml");
  }

  @Test
  void theWorkerEnvironmentIsExactlyWhatItsYamlReads() throws IOException {
    Map<String, String> env = environment("worker");
    Map<String, String> read =
        placeholders(Repository.file("worker/src/main/resources/example-worker.yml"));

    assertThat(read).containsKeys(env.keySet().toArray(String[]::new));
    assertThat(env)
        .containsKeys(
            "TRAINYARD_DB_URL",
            "TRAINYARD_DB_USER",
            "TRAINYARD_DB_PASSWORD",
            "TRAINYARD_TEMPORAL_TARGET",
            "TRAINYARD_JWT_SECRET",
            "TRAINYARD_BACKEND_URL");
    assertThat(env.get("TRAINYARD_TEMPORAL_TARGET"))
        .isEqualTo(environment("api-service").get("TEMPORAL_ADDRESS"));
    assertThat(env.get("TRAINYARD_JWT_SECRET"))
        .isEqualTo(environment("api-service").get("TRAINYARD_JWT_SECRET"));
    assertThat(env.get("TRAINYARD_DB_URL"))
        .isEqualTo(environment("api-service").get("TRAINYARD_DB_URL"));
    assertThat(env.get("TRAINYARD_BACKEND_URL"))
        .isEqualTo("http://api-service:" + environment("api-service").get("TRAINYARD_API_PORT"));
    // The scripted trainer's path in example-worker.yml resolves inside the image.
    assertThat(read.get("TRAINYARD_HOME")).isEqualTo("/opt/trainyard");
    assertThat(dockerfile())
        .contains("COPY examples/ examples/")
        .contains("WORKDIR /opt/trainyard");
    assertImageConfig("worker", "worker/src/main/resources/example-worker.yml");
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
