package dev.trainyard.e2e.support;

import dev.trainyard.app.temporal.TemporalConfigFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code temporal server start-dev} persisting to a SQLite file, with temporal-config/'s dynamic
 * config, and the namespace and search attributes registered by temporal-config/register.sh: the
 * script docker-compose runs, here run against a real server.
 */
public final class TemporalDevServer implements AutoCloseable {
  private final ChildProcess server;
  private final int port;
  private final int uiPort;

  private TemporalDevServer(ChildProcess server, int port, int uiPort) {
    this.server = server;
    this.port = port;
    this.uiPort = uiPort;
  }

  public static TemporalDevServer start(Path binary, Path databaseFile, Path logDirectory)
      throws IOException, InterruptedException {
    int port = Ports.free();
    int uiPort = Ports.free();
    TemporalConfigFiles config =
        new TemporalConfigFiles(Repository.file(TemporalConfigFiles.FOLDER));
    List<String> command =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "server",
                "start-dev",
                "--ip",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--ui-port",
                Integer.toString(uiPort),
                "--db-filename",
                databaseFile.toString(),
                "--log-level",
                "warn"));
    command.addAll(config.devServerFlags());
    ChildProcess server =
        ChildProcess.start(
            "temporal server start-dev",
            command,
            Map.of(),
            Repository.root(),
            logDirectory.resolve("temporal.log"));
    TemporalDevServer started = new TemporalDevServer(server, port, uiPort);
    try {
      server.awaitReady(() -> Ports.accepts(port) && Ports.accepts(uiPort), Duration.ofSeconds(60));
      started.register(binary, config, logDirectory.resolve("register.log"));
    } catch (RuntimeException | IOException | InterruptedException e) {
      started.close();
      throw e;
    }
    return started;
  }

  private void register(Path binary, TemporalConfigFiles config, Path log)
      throws IOException, InterruptedException {
    ChildProcess script =
        ChildProcess.start(
            "register.sh",
            List.of(
                "bash", config.directory().resolve(TemporalConfigFiles.REGISTER_SCRIPT).toString()),
            Map.of(
                "TEMPORAL_BIN",
                binary.toString(),
                "TEMPORAL_ADDRESS",
                target(),
                "TEMPORAL_NAMESPACE",
                "default",
                "TEMPORAL_WAIT_SECONDS",
                "60"),
            Repository.root(),
            log);
    script.awaitReady(() -> !script.isAlive(), Duration.ofSeconds(90));
    if (!script.log().contains("search attributes registered")) {
      throw new IllegalStateException("temporal-config/register.sh failed:\n" + script.log());
    }
  }

  public String target() {
    return "127.0.0.1:" + port;
  }

  public String uiUrl() {
    return "http://127.0.0.1:" + uiPort;
  }

  @Override
  public void close() {
    server.close();
  }
}
