package dev.trainyard.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.store.Database;
import dev.trainyard.store.EmbeddedDatabase;
import dev.trainyard.store.frameworks.TrainerFrameworkDao;
import dev.trainyard.worker.config.WorkerConfiguration;
import dev.trainyard.worker.config.WorkerConfigurationFactory;
import io.temporal.testserver.TestServer;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped example, as {@code trainyard worker worker.yml} runs it, on real services. */
class WorkerProcessTest {
  @TempDir Path dir;

  @Test
  void theShippedExampleStartsAWorkerThatRegistersItsFrameworksAndServesItsAdminPort()
      throws Exception {
    int temporalPort = freePort();
    int adminPort = freePort();
    Path file = dir.resolve("worker.yml");
    try (InputStream in = getClass().getResourceAsStream("/example-worker.yml")) {
      Files.copy(in, file);
    }
    try (EmbeddedDatabase database = EmbeddedDatabase.startTemporary();
        TestServer.PortBoundTestServer temporal = TestServer.createPortBoundServer(temporalPort)) {
      WorkerConfiguration config =
          WorkerConfigurationFactory.load(
              file,
              Map.of(
                  "TRAINYARD_DB_URL",
                  database.jdbcUrl(),
                  "TRAINYARD_DB_USER",
                  EmbeddedDatabase.USER,
                  "TRAINYARD_TEMPORAL_TARGET",
                  "127.0.0.1:" + temporalPort,
                  "TRAINYARD_JWT_SECRET",
                  "0123456789abcdef0123456789abcdef-worker",
                  "TRAINYARD_JOBS_DIR",
                  dir.resolve("jobs").toString(),
                  "TRAINYARD_TRAINER_COMMAND_ULTRALYTICS",
                  "python3 train.py",
                  "TRAINYARD_WORKER_ADMIN_PORT",
                  Integer.toString(adminPort)));

      try (WorkerProcess ignored = WorkerProcess.start(config)) {
        Jdbi jdbi = Database.connect(database.dataSource());
        assertThat(jdbi.onDemand(TrainerFrameworkDao.class).served())
            .containsExactlyInAnyOrder("scripted", "ultralytics");

        HttpResponse<String> health = get(adminPort, "/healthcheck");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        JsonNode checks = new ObjectMapper().readTree(health.body());
        assertThat(checks.path("temporal").path("healthy").asBoolean()).isTrue();
        assertThat(checks.path("database").path("healthy").asBoolean()).isTrue();
        // the SDK's worker metrics report into it: its pollers started with the worker
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    assertThat(get(adminPort, "/metrics").body())
                        .contains("temporal_poller_start_total{")
                        .contains("trainyard_trainer_launches_total{runtime=\"local\"} 0.0"));
        assertThat(get(adminPort, "/metrics").headers().firstValue("Content-Type"))
            .hasValue("text/plain; version=0.0.4; charset=utf-8");
      }
      assertThatThrownBy(() -> get(adminPort, "/healthcheck"))
          .as("closed with the worker")
          .isInstanceOf(java.io.IOException.class);
    }
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  static int freePort() throws java.io.IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
