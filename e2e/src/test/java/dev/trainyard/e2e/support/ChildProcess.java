package dev.trainyard.e2e.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A process the suite started, with its output in a log file the test can read and keep. */
public final class ChildProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  public static ChildProcess start(
      String name,
      List<String> command,
      Map<String, String> environment,
      Path workingDirectory,
      Path log)
      throws IOException {
    return start(name, command, environment, workingDirectory, log, false);
  }

  /**
   * As {@link #start}, with {@code environment} and nothing else: none of the suite's own variables
   * reaches the process (a container's environment is what its deploy file and image give it).
   */
  public static ChildProcess startIsolated(
      String name,
      List<String> command,
      Map<String, String> environment,
      Path workingDirectory,
      Path log)
      throws IOException {
    return start(name, command, environment, workingDirectory, log, true);
  }

  private static ChildProcess start(
      String name,
      List<String> command,
      Map<String, String> environment,
      Path workingDirectory,
      Path log,
      boolean isolated)
      throws IOException {
    Files.createDirectories(log.getParent());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workingDirectory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    if (isolated) {
      builder.environment().clear();
    }
    builder.environment().putAll(environment);
    return new ChildProcess(name, builder.start(), log);
  }

  /** The exit code once it has ended, waiting up to {@code timeout}; null if it still runs. */
  public Integer exitCode(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Waits until {@code ready} holds; fails naming the log if the process dies or time runs out. */
  public void awaitReady(BooleanSupplier ready, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (!ready.getAsBoolean()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name
                + " exited with code "
                + process.exitValue()
                + " before it was ready; its log ("
                + log
                + "):\n"
                + tail());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            name + " not ready within " + timeout + "; log " + log + ":\n" + tail());
      }
      Thread.sleep(200);
    }
  }

  /** SIGKILL, as a crashed host or the OOM killer would: no shutdown hook runs. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM and wait, then SIGKILL if it lingers. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private String tail() {
    String text = log();
    return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
  }
}
