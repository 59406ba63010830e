package dev.trainyard.app.dev;

import dev.trainyard.app.StartupException;
import dev.trainyard.workflows.CallbackContract;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the dev stack needs, read once from the environment (or built by tests).
 *
 * @param httpPort the API's port; 0 picks a free one
 * @param temporalPort Temporal's preferred port (a free one is used when it is taken); 0 = any
 * @param temporalCli the {@code temporal} binary to run the dev server with (durable, with UI) and
 *     the dynamic config to give it; empty to use the in-process test server
 * @param jwtSecret the callback-token key the user set ({@value #JWT_SECRET_ENV}), checked as the
 *     API and the worker check it; empty to let the stack keep its own (see {@link DevSecret})
 * @param consoleInfo show Trainyard's INFO lines on the console (the {@code dev} server's running
 *     log); otherwise only warnings and errors, as when the console belongs to a CLI story ({@code
 *     demo}) or a test. The log file always has everything.
 */
public record DevSettings(
    Path dataDirectory,
    int httpPort,
    int temporalPort,
    List<String> trainerCommand,
    Optional<TemporalCli> temporalCli,
    Optional<String> jwtSecret,
    boolean consoleInfo) {

  public static final String DATA_DIR_ENV = "TRAINYARD_DATA_DIR";
  public static final String HTTP_PORT_ENV = "TRAINYARD_HTTP_PORT";
  public static final String TEMPORAL_PORT_ENV = "TRAINYARD_TEMPORAL_PORT";
  public static final String TRAINER_COMMAND_ENV = "TRAINYARD_TRAINER_COMMAND";

  /**
   * The dev stack's global admin key, in the data directory (mode 600): the CLI on this machine
   * uses it for a local API when no other key is set.
   */
  public static final String ADMIN_KEY_FILE = "admin-api-key";

  /** The same variable the API's and the worker's configs read in production. */
  public static final String JWT_SECRET_ENV = "TRAINYARD_JWT_SECRET";

  public DevSettings {
    dataDirectory = dataDirectory.toAbsolutePath().normalize();
    trainerCommand = List.copyOf(trainerCommand);
  }

  public static DevSettings fromEnvironment(Map<String, String> env, Path workingDirectory) {
    Path dataDirectory = dataDirectory(env, workingDirectory);
    return new DevSettings(
        dataDirectory,
        port(env, HTTP_PORT_ENV, 8080),
        port(env, TEMPORAL_PORT_ENV, 7233),
        trainerCommand(env, workingDirectory),
        TemporalCli.fromEnvironment(env, workingDirectory),
        jwtSecret(env, dataDirectory),
        true);
  }

  /**
   * The data directory a dev stack started here would use: {@value #DATA_DIR_ENV}, else {@code
   * .trainyard} in the working directory. The CLI looks there for the stack's admin key.
   */
  public static Path dataDirectory(Map<String, String> env, Path workingDirectory) {
    return Optional.ofNullable(env.get(DATA_DIR_ENV))
        .filter(s -> !s.isBlank())
        .map(Path::of)
        .orElse(workingDirectory.resolve(".trainyard"))
        .toAbsolutePath()
        .normalize();
  }

  /** Free ports, the scripted trainer, the in-process Temporal test server: for tests. */
  public static DevSettings forTests(Path dataDirectory) {
    return new DevSettings(
        dataDirectory,
        0,
        0,
        trainerCommand(Map.of(), Path.of("")),
        Optional.empty(),
        Optional.empty(),
        false);
  }

  static List<String> trainerCommand(Map<String, String> env, Path workingDirectory) {
    String override = env.get(TRAINER_COMMAND_ENV);
    if (override != null && !override.isBlank()) {
      return Arrays.asList(override.trim().split("\\s+"));
    }
    Path root =
        RepositoryRoot.locate(env, workingDirectory)
            .orElseThrow(
                () ->
                    new StartupException(
                        "cannot find "
                            + RepositoryRoot.SCRIPTED_TRAINER
                            + ": run from the Trainyard checkout, or set "
                            + RepositoryRoot.HOME_ENV
                            + " or "
                            + TRAINER_COMMAND_ENV));
    return List.of("python3", root.resolve(RepositoryRoot.SCRIPTED_TRAINER).toString());
  }

  /**
   * A key that is set is used, never replaced: tokens minted with it elsewhere must verify here. It
   * must be as long as production requires, so a key that works in dev also works in production.
   */
  static Optional<String> jwtSecret(Map<String, String> env, Path dataDirectory) {
    String secret = env.get(JWT_SECRET_ENV);
    if (secret == null || secret.isBlank()) {
      return Optional.empty();
    }
    int bytes = secret.getBytes(StandardCharsets.UTF_8).length;
    if (bytes < CallbackContract.MIN_SECRET_BYTES) {
      throw new StartupException(
          JWT_SECRET_ENV
              + " is "
              + bytes
              + " bytes; callback tokens (HS256) need a key of at least "
              + CallbackContract.MIN_SECRET_BYTES
              + " bytes: set a longer one (openssl rand -hex 32), or unset it and the dev stack"
              + " keeps a key of its own in "
              + dataDirectory.toAbsolutePath().normalize().resolve(DevSecret.FILE_NAME));
    }
    return Optional.of(secret);
  }

  private static int port(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int port = Integer.parseInt(value.trim());
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new StartupException(name + " must be a port number (0-65535), was '" + value + "'");
    }
  }

  static Optional<Path> onPath(String program, String path) {
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isBlank()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  public DevSettings withConsoleInfo(boolean show) {
    return new DevSettings(
        dataDirectory, httpPort, temporalPort, trainerCommand, temporalCli, jwtSecret, show);
  }

  /** The same settings with another Temporal choice (tests run the dev stack on the CLI). */
  public DevSettings withTemporalCli(Optional<TemporalCli> cli) {
    return new DevSettings(
        dataDirectory, httpPort, temporalPort, trainerCommand, cli, jwtSecret, consoleInfo);
  }

  public Path logDirectory() {
    return dataDirectory.resolve("logs");
  }

  public Path logFile() {
    return logDirectory().resolve("trainyard.log");
  }

  public Path jobsDirectory() {
    return dataDirectory.resolve("jobs");
  }

  /** The embedded PostgreSQL's password (mode 600). */
  public Path databasePasswordFile() {
    return dataDirectory.resolve("postgres-password");
  }

  public Path adminKeyFile() {
    return dataDirectory.resolve(ADMIN_KEY_FILE);
  }

  public Path datasetsDirectory() {
    return dataDirectory.resolve("datasets");
  }
}
