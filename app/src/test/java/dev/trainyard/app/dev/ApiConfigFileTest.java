package dev.trainyard.app.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.trainyard.store.objects.S3Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API configuration that the dev stack and the bench stacks write, key by key. */
class ApiConfigFileTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @TempDir Path dir;

  @Test
  void theDevStacksConfigurationLogsToTheConsoleAndItsFileAndNamesItsStorage() throws IOException {
    Path file =
        ApiConfigFile.of(
                "jdbc:postgresql://127.0.0.1:5432/postgres", "127.0.0.1:7233", "s3cr3t", 8080)
            .logLevels("INFO", Map.of("noisy.Logger", "ERROR"))
            .console("%msg%n", true)
            .file(dir.resolve("trainyard.log"), "%msg%n")
            .storage(storage("http://127.0.0.1:9000", "trainyard", "key", "secret"))
            .write(dir.resolve("api.yml"));

    assertThat(YAML.readTree(file.toFile()))
        .isEqualTo(
            yaml(
                common("jdbc:postgresql://127.0.0.1:5432/postgres", "", 8080)
                    + """
                    logging:
                      level: INFO
                      loggers:
                        noisy.Logger: ERROR
                      appenders:
                        - type: console
                          target: stderr
                          logFormat: "%msg%n"
                          filterFactories:
                            - type: trainyard-quiet-console
                        - type: file
                          currentLogFilename: "DIR/trainyard.log"
                          archive: false
                          logFormat: "%msg%n"
                    storage:
                      endpoint: http://127.0.0.1:9000
                      bucket: trainyard
                      accessKey: key
                      secretKey: secret
                    """));
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void theDevStackServesItsTrainersLogsAndLinksTheDashboardToTemporalUi() throws IOException {
    Path file =
        ApiConfigFile.of("jdbc:postgresql://db/postgres", "t:7233", "s", 0)
            .trainerLogs(dir.resolve("jobs"))
            .dashboard("http://127.0.0.1:8233")
            .write(dir.resolve("api.yml"));

    JsonNode config = YAML.readTree(file.toFile());
    assertThat(config.path("logs").path("jobsDirectory").asText())
        .isEqualTo(dir.resolve("jobs").toString());
    assertThat(config.path("dashboard").path("temporalUiUrl").asText())
        .isEqualTo("http://127.0.0.1:8233");
    assertThat(config.path("dashboard").has("mlflowUrl")).isFalse(); // no MLflow server in dev
  }

  @Test
  void metricsAreOnUnlessTurnedOffAndTheAdminPortCanBeChosen() throws IOException {
    JsonNode on =
        YAML.readTree(
            ApiConfigFile.of("jdbc:postgresql://db/postgres", "t:7233", "s", 0)
                .write(dir.resolve("on.yml"))
                .toFile());
    JsonNode off =
        YAML.readTree(
            ApiConfigFile.of("jdbc:postgresql://db/postgres", "t:7233", "s", 0)
                .metrics(false)
                .adminPort(9181)
                .write(dir.resolve("off.yml"))
                .toFile());

    assertThat(on.has("prometheus")).as("the API's default: on").isFalse();
    assertThat(on.path("server").path("adminConnectors").get(0).path("port").asInt()).isZero();
    assertThat(off.path("prometheus").path("enabled").asBoolean(true)).isFalse();
    assertThat(off.path("server").path("adminConnectors").get(0).path("port").asInt())
        .isEqualTo(9181);
  }

  @Test
  void aQuietConsoleShowsWarningsOnly() throws IOException {
    Path file =
        ApiConfigFile.of("jdbc:postgresql://db/postgres", "t:7233", "s", 0)
            .console("%msg%n", false)
            .write(dir.resolve("api.yml"));

    JsonNode console = YAML.readTree(file.toFile()).path("logging").path("appenders").get(0);
    assertThat(console.path("threshold").asText()).isEqualTo("WARN");
    assertThat(console.has("filterFactories")).isFalse();
  }

  @Test
  void aBenchStacksConfigurationSizesItsPoolAndSignalIntervalAndLogsToAFileOnly()
      throws IOException {
    Path file =
        ApiConfigFile.of("jdbc:postgresql://db/postgres", "127.0.0.1:7233", "s3cr3t", 9090)
            .databasePool(32)
            .progressSignalInterval(Duration.ofSeconds(1))
            .logLevels("WARN", Map.of())
            .file(dir.resolve("api.log"), "%m%n")
            .write(dir.resolve("nested").resolve("api.yml"));

    assertThat(YAML.readTree(file.toFile()))
        .isEqualTo(
            yaml(
                common(
                            "jdbc:postgresql://db/postgres",
                            "  maxSize: 32\n  minSize: 8\n  initialSize: 8\n",
                            9090)
                        .replace(
                            "  jwtSecret: s3cr3t\n",
                            "  jwtSecret: s3cr3t\n  progressSignalInterval: 1000ms\n")
                    + """
                    logging:
                      level: WARN
                      appenders:
                        - type: file
                          currentLogFilename: "DIR/api.log"
                          archive: false
                          logFormat: "%m%n"
                    """));
  }

  /** What every stack's file holds before its logging. */
  private static String common(String jdbcUrl, String pool, int port) {
    return """
        devMode: true
        database:
          driverClass: org.postgresql.Driver
          url: "URL"
          user: postgres
          password: ""
        POOL\
        temporal:
          target: "TARGET"
          namespace: default
        callbacks:
          jwtSecret: s3cr3t
        server:
          shutdownGracePeriod: 2s
          applicationConnectors:
            - type: http
              bindHost: 127.0.0.1
              port: PORT
          adminConnectors:
            - type: http
              bindHost: 127.0.0.1
              port: 0
          requestLog:
            appenders: []
        """
        .replace("URL", jdbcUrl)
        .replace("POOL", pool)
        .replace("PORT", Integer.toString(port));
  }

  private JsonNode yaml(String text) throws IOException {
    return YAML.readTree(text.replace("DIR", dir.toString()).replace("TARGET", "127.0.0.1:7233"));
  }

  static S3Settings storage(String endpoint, String bucket, String accessKey, String secretKey) {
    S3Settings settings = new S3Settings();
    settings.setEndpoint(endpoint);
    settings.setBucket(bucket);
    settings.setAccessKey(accessKey);
    settings.setSecretKey(secretKey);
    return settings;
  }
}
