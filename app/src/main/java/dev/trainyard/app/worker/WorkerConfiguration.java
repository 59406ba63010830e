package dev.trainyard.app.worker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.trainyard.app.EnvSubstitution;
import dev.trainyard.app.StartupException;
import dev.trainyard.workflows.CallbackContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The worker process's settings, read once from YAML (with {@code ${ENV:-default}}) and validated
 * here, so the rest of the worker never reads the environment. See {@code example-worker.yml}.
 */
public record WorkerConfiguration(
    Database database, Temporal temporal, String jwtSecret, Launcher launcher) {

  public static final String JWT_SECRET_ENV = "TRAINYARD_JWT_SECRET";
  public static final String TRAINER_COMMAND_ENV = "TRAINYARD_TRAINER_COMMAND";

  public record Database(String url, String user, String password, Integer maxConnections) {
    @Override
    public String toString() {
      return "Database[url=" + url + ", user=" + user + ", password=<redacted>]";
    }
  }

  public record Temporal(String target, String namespace) {}

  /** {@code kind}: "local" (default) or "kubernetes"; only the chosen block is required. */
  public record Launcher(String kind, LocalLauncher local, KubernetesLauncherSettings kubernetes) {
    public static final String LOCAL = "local";
    public static final String KUBERNETES = "kubernetes";

    public boolean isKubernetes() {
      return KUBERNETES.equals(kind);
    }
  }

  public record LocalLauncher(
      Map<String, List<String>> commands,
      List<String> defaultCommand,
      Path jobsDirectory,
      String backendBaseUrl,
      Map<String, String> extraEnvironment) {}

  public static WorkerConfiguration load(Path file, Map<String, String> environment) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StartupException("cannot read worker configuration " + file, e);
    }
    WorkerConfiguration parsed;
    try {
      ObjectMapper yaml =
          new ObjectMapper(new YAMLFactory())
              .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
      parsed = yaml.readValue(EnvSubstitution.apply(text, environment), WorkerConfiguration.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new StartupException("invalid worker configuration " + file, e);
    }
    return parsed.resolved(environment);
  }

  /** Fills what the environment supplies and checks everything, naming the setting at fault. */
  WorkerConfiguration resolved(Map<String, String> environment) {
    require(database != null && notBlank(database.url()), "database.url is required");
    require(
        database.url().startsWith("jdbc:postgresql:"),
        "database.url must be a jdbc:postgresql: URL");
    require(
        temporal != null
            && notBlank(temporal.target())
            && temporal.target().matches("^[^\\s:]+:\\d{1,5}$"),
        "temporal.target must be host:port");
    String secret = notBlank(jwtSecret) ? jwtSecret : environment.get(JWT_SECRET_ENV);
    require(notBlank(secret), "jwtSecret is required (or set " + JWT_SECRET_ENV + ")");
    require(
        secret.getBytes(StandardCharsets.UTF_8).length >= CallbackContract.MIN_SECRET_BYTES,
        "jwtSecret must be at least " + CallbackContract.MIN_SECRET_BYTES + " bytes");
    require(launcher != null, "launcher is required");
    String kind =
        launcher.kind() == null || launcher.kind().isBlank() ? Launcher.LOCAL : launcher.kind();
    require(
        kind.equals(Launcher.LOCAL) || kind.equals(Launcher.KUBERNETES),
        "launcher.kind must be local or kubernetes, was " + kind);
    if (kind.equals(Launcher.KUBERNETES)) {
      require(
          launcher.kubernetes() != null,
          "launcher.kubernetes is required when launcher.kind is kubernetes");
      launcher.kubernetes().toConfig(); // validates now, naming the setting at fault
    }
    String namespace = notBlank(temporal.namespace()) ? temporal.namespace() : "default";
    return new WorkerConfiguration(
        database,
        new Temporal(temporal.target(), namespace),
        secret,
        new Launcher(kind, resolvedLocal(kind, environment), launcher.kubernetes()));
  }

  /** The local block, required for the local launcher only; null when absent under kubernetes. */
  private LocalLauncher resolvedLocal(String kind, Map<String, String> environment) {
    LocalLauncher local = launcher.local();
    if (local == null && kind.equals(Launcher.KUBERNETES)) {
      return null;
    }
    require(local != null, "launcher.local is required");
    require(local.jobsDirectory() != null, "launcher.local.jobsDirectory is required");
    require(notBlank(local.backendBaseUrl()), "launcher.local.backendBaseUrl is required");
    String override = environment.get(TRAINER_COMMAND_ENV);
    List<String> defaultCommand =
        notBlank(override)
            ? Arrays.asList(override.trim().split("\\s+"))
            : local.defaultCommand() == null ? List.of() : local.defaultCommand();
    return new LocalLauncher(
        local.commands(),
        defaultCommand,
        local.jobsDirectory(),
        local.backendBaseUrl(),
        local.extraEnvironment());
  }

  public byte[] jwtSecretBytes() {
    return jwtSecret.getBytes(StandardCharsets.UTF_8);
  }

  private static boolean notBlank(String value) {
    return value != null && !value.isBlank();
  }

  private static void require(boolean condition, String problem) {
    if (!condition) {
      throw new StartupException("worker configuration: " + problem);
    }
  }

  // The secret must never reach a log line, even through this record's generated toString.
  @Override
  public String toString() {
    return "WorkerConfiguration[database="
        + database.url()
        + ", temporal="
        + temporal
        + ", jwtSecret=<redacted>, launcher="
        + launcher
        + "]";
  }
}
