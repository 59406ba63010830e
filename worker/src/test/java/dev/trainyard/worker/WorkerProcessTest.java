package dev.trainyard.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.store.Database;
import dev.trainyard.store.EmbeddedDatabase;
import dev.trainyard.store.frameworks.TrainerFrameworkDao;
import dev.trainyard.worker.config.WorkerConfiguration;
import dev.trainyard.worker.config.WorkerConfigurationFactory;
import io.temporal.testserver.TestServer;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped example, as {@code trainyard worker worker.yml} runs it, on real services. */
class WorkerProcessTest {
  @TempDir Path dir;

  @Test
  void theShippedExampleStartsAWorkerThatRegistersItsFrameworks() throws Exception {
    int temporalPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      temporalPort = socket.getLocalPort();
    }
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
                  "python3 train.py"));

      try (WorkerProcess ignored = WorkerProcess.start(config)) {
        Jdbi jdbi = Database.connect(database.dataSource());
        assertThat(jdbi.onDemand(TrainerFrameworkDao.class).served())
            .containsExactlyInAnyOrder("scripted", "ultralytics");
      }
    }
  }
}
