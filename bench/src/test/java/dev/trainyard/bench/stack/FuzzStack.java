package dev.trainyard.bench.stack;

import dev.trainyard.app.dev.ApiConfigFile;
import dev.trainyard.app.dev.EmbeddedS3;
import dev.trainyard.app.logging.LogFormat;
import dev.trainyard.bench.launcher.LaunchSink;
import dev.trainyard.store.Database;
import dev.trainyard.store.EmbeddedDatabase;
import dev.trainyard.workflows.client.SearchAttributeRegistration;
import io.temporal.testserver.TestServer;
import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@link InProcessStack} shape plus object storage (S3Proxy on files), so that the dataset and
 * artifact routes are served as in production instead of answering 503 "no storage configured".
 */
public final class FuzzStack implements AutoCloseable {
  public final String jwtSecret = "fuzz-" + UUID.randomUUID() + "-" + UUID.randomUUID();
  public final Path storageDirectory;
  private final EmbeddedDatabase database;
  private final EmbeddedS3 s3;
  private final Closeable temporal;
  public final String temporalTarget;
  private final InProcessApi api;
  private final SimulatedWorker worker;
  private final Jdbi jdbi;

  private FuzzStack(Path directory, LaunchSink sink, Duration progressSignalInterval)
      throws Exception {
    database = EmbeddedDatabase.start(directory.resolve("postgres"), InProcessStack.freePort());
    storageDirectory = directory.resolve("s3");
    s3 = EmbeddedS3.start(storageDirectory, 0);
    int temporalPort = InProcessStack.freePort();
    temporal = TestServer.createPortBoundServer(temporalPort);
    temporalTarget = "127.0.0.1:" + temporalPort;
    SearchAttributeRegistration.register(temporalTarget, "default");
    Path config =
        ApiConfigFile.of(database.jdbcUrl(), temporalTarget, jwtSecret, InProcessStack.freePort())
            .databasePool(16)
            .progressSignalInterval(progressSignalInterval)
            .logLevels("WARN", Map.of())
            .file(directory.resolve("api.log"), LogFormat.PATTERN)
            .storage(s3.settings())
            .write(directory.resolve("api.yml"));
    api = InProcessApi.start(config);
    worker =
        SimulatedWorker.start(
            temporalTarget,
            database.jdbcUrl(),
            jwtSecret.getBytes(StandardCharsets.UTF_8),
            api.url(),
            sink);
    jdbi = Database.connect(database.dataSource());
  }

  public static FuzzStack start(LaunchSink sink, Duration progressSignalInterval) throws Exception {
    return new FuzzStack(
        Files.createTempDirectory("trainyard-fuzz-"), sink, progressSignalInterval);
  }

  public String apiUrl() {
    return api.url();
  }

  public int apiPort() {
    return Integer.parseInt(api.url().substring(api.url().lastIndexOf(':') + 1));
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  @Override
  public void close() throws Exception {
    worker.close();
    api.close();
    temporal.close();
    s3.close();
    database.close();
  }
}
