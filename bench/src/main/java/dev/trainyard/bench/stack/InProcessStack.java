package dev.trainyard.bench.stack;

import dev.trainyard.app.dev.ApiConfigFile;
import dev.trainyard.app.logging.LogFormat;
import dev.trainyard.bench.launcher.LaunchSink;
import dev.trainyard.store.Database;
import dev.trainyard.store.EmbeddedDatabase;
import dev.trainyard.workflows.client.SearchAttributeRegistration;
import io.temporal.testserver.TestServer;
import java.io.Closeable;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Everything in this JVM, for the fault and fuzz tests: PostgreSQL (on a fixed port and data
 * directory, so it can be stopped and started again under the API's and worker's feet), Temporal's
 * test server bound to a port, the real API, and a worker with the simulated launcher.
 */
public final class InProcessStack implements AutoCloseable {
  public final String jwtSecret = "bench-" + UUID.randomUUID() + "-" + UUID.randomUUID();
  private final Path dataDirectory;
  private final int databasePort;
  private EmbeddedDatabase database;
  private final Closeable temporal;
  private final String temporalTarget;
  private final InProcessApi api;
  private final SimulatedWorker worker;
  private final Jdbi jdbi;

  private InProcessStack(Path dataDirectory, LaunchSink sink, Duration progressSignalInterval)
      throws Exception {
    this.dataDirectory = dataDirectory;
    this.databasePort = freePort();
    this.database = EmbeddedDatabase.start(dataDirectory.resolve("postgres"), databasePort);
    int temporalPort = freePort();
    this.temporal = TestServer.createPortBoundServer(temporalPort);
    this.temporalTarget = "127.0.0.1:" + temporalPort;
    SearchAttributeRegistration.register(temporalTarget, "default");
    Path config =
        ApiConfigFile.of(database.jdbcUrl(), temporalTarget, jwtSecret, freePort())
            .databasePool(32)
            .progressSignalInterval(progressSignalInterval)
            .logLevels("WARN", Map.of())
            .file(dataDirectory.resolve("api.log"), LogFormat.PATTERN)
            .write(dataDirectory.resolve("api.yml"));
    this.api = InProcessApi.start(config);
    this.worker =
        SimulatedWorker.start(
            temporalTarget,
            database.jdbcUrl(),
            jwtSecret.getBytes(StandardCharsets.UTF_8),
            api.url(),
            sink);
    this.jdbi = Database.connect(database.dataSource());
  }

  public static InProcessStack start(LaunchSink sink, Duration progressSignalInterval)
      throws Exception {
    return new InProcessStack(
        Files.createTempDirectory("trainyard-bench-"), sink, progressSignalInterval);
  }

  public String apiUrl() {
    return api.url();
  }

  public String temporalTarget() {
    return temporalTarget;
  }

  /** A JDBI handle for assertions; it reconnects by itself after a database restart. */
  public Jdbi jdbi() {
    return jdbi;
  }

  /** Stops PostgreSQL (fast shutdown: open connections are cut), as an outage would. */
  public synchronized void stopDatabase() {
    database.close();
  }

  /** Starts PostgreSQL again on the same port and data directory. */
  public synchronized void startDatabase() {
    database = EmbeddedDatabase.start(dataDirectory.resolve("postgres"), databasePort);
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws Exception {
    worker.close();
    api.close();
    temporal.close();
    database.close();
  }
}
