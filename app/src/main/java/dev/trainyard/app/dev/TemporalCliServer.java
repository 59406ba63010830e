package dev.trainyard.app.dev;

import dev.trainyard.app.StartupException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code temporal server start-dev} as a child process: durable (SQLite file in the data directory)
 * and with the web UI. Its output goes to its own log file. Every port it opens (frontend, UI, HTTP
 * API, metrics and the internal services) is on 127.0.0.1: {@code --ip} applies to all of them.
 */
final class TemporalCliServer implements TemporalService {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final int port;
  private final int uiPort;

  private TemporalCliServer(Process process, int port, int uiPort) {
    this.process = process;
    this.port = port;
    this.uiPort = uiPort;
  }

  static TemporalCliServer start(TemporalCli cli, int port, Path databaseFile, Path logFile)
      throws IOException, InterruptedException {
    int uiPort = port + 1000 <= 65535 && Ports.isFree(port + 1000) ? port + 1000 : Ports.free();
    List<String> command =
        new ArrayList<>(
            List.of(
                cli.binary().toString(),
                "server",
                "start-dev",
                "--ip",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--ui-port",
                Integer.toString(uiPort),
                // Said explicitly: the UI's default is --ip's today, and must stay loopback.
                "--ui-ip",
                "127.0.0.1",
                "--db-filename",
                databaseFile.toString(),
                "--log-level",
                "warn"));
    // The same dynamic config docker-compose's Temporal reads (temporal-config/dynamicconfig).
    cli.config().ifPresent(config -> command.addAll(config.devServerFlags()));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .start();
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (!Ports.accepts(port)) {
      if (!process.isAlive()) {
        throw new StartupException(
            "temporal server start-dev exited with code "
                + process.exitValue()
                + "; see "
                + logFile);
      }
      if (Instant.now().isAfter(deadline)) {
        process.destroyForcibly();
        throw new StartupException(
            "temporal server start-dev did not open port "
                + port
                + " within "
                + START_TIMEOUT.toSeconds()
                + " s; see "
                + logFile);
      }
      Thread.sleep(200);
    }
    return new TemporalCliServer(process, port, uiPort);
  }

  @Override
  public String target() {
    return "127.0.0.1:" + port;
  }

  @Override
  public Optional<String> uiUrl() {
    return Optional.of("http://127.0.0.1:" + uiPort);
  }

  @Override
  public boolean durable() {
    return true;
  }

  @Override
  public String description() {
    return "Temporal dev server (temporal CLI, pid " + process.pid() + ")";
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
