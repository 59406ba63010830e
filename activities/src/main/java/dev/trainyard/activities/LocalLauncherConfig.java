package dev.trainyard.activities;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the local launcher starts trainers: a command per framework (or one default command), the
 * directory that holds each job's log and pid file, the callback base URL the trainer is given, and
 * extra environment (storage, MLflow, dataset root) passed to every trainer. Also the worker YAML's
 * {@code launcher.local} block, read as is: {@code commands} there.
 *
 * @param commandsByFramework argv per framework name; may be empty
 * @param defaultCommand argv for any other framework; empty when there is none
 */
public record LocalLauncherConfig(
    @JsonProperty("commands") Map<String, List<String>> commandsByFramework,
    List<String> defaultCommand,
    Path jobsDirectory,
    String backendBaseUrl,
    Map<String, String> extraEnvironment) {

  public LocalLauncherConfig {
    commandsByFramework = copyCommands(commandsByFramework);
    defaultCommand = defaultCommand == null ? List.of() : List.copyOf(defaultCommand);
    if (!defaultCommand.isEmpty() && defaultCommand.get(0).isBlank()) {
      throw new IllegalArgumentException(
          "default trainer command starts with a blank program name");
    }
    Objects.requireNonNull(jobsDirectory, "jobsDirectory is required");
    jobsDirectory = jobsDirectory.toAbsolutePath().normalize();
    if (backendBaseUrl == null || backendBaseUrl.isBlank()) {
      throw new IllegalArgumentException(
          "backendBaseUrl is required (the trainer's callback base URL)");
    }
    if (!backendBaseUrl.startsWith("http://") && !backendBaseUrl.startsWith("https://")) {
      throw new IllegalArgumentException(
          "backendBaseUrl must be an http(s) URL: " + backendBaseUrl);
    }
    // Trainers append "/v1/jobs/..." to it.
    while (backendBaseUrl.endsWith("/")) {
      backendBaseUrl = backendBaseUrl.substring(0, backendBaseUrl.length() - 1);
    }
    extraEnvironment = withoutNulls(extraEnvironment);
  }

  // extraEnvironment carries the trainers' storage credentials: names only, never the values.
  @Override
  public String toString() {
    return "LocalLauncherConfig[commands="
        + commandsByFramework
        + ", defaultCommand="
        + defaultCommand
        + ", jobsDirectory="
        + jobsDirectory
        + ", backendBaseUrl="
        + backendBaseUrl
        + ", extraEnvironment="
        + new java.util.TreeSet<>(extraEnvironment.keySet())
        + "]";
  }

  /** One command for every framework. */
  public static LocalLauncherConfig withDefaultCommand(
      List<String> command, Path jobsDirectory, String backendBaseUrl) {
    return new LocalLauncherConfig(Map.of(), command, jobsDirectory, backendBaseUrl, Map.of());
  }

  /**
   * A YAML value left empty is null; the trainer gets it as an empty variable, as on Kubernetes.
   */
  private static Map<String, String> withoutNulls(Map<String, String> environment) {
    if (environment == null) {
      return Map.of();
    }
    Map<String, String> copy = new LinkedHashMap<>();
    environment.forEach((name, value) -> copy.put(name, value == null ? "" : value));
    return Map.copyOf(copy);
  }

  private static Map<String, List<String>> copyCommands(Map<String, List<String>> commands) {
    if (commands == null) {
      return Map.of();
    }
    Map<String, List<String>> copy = new LinkedHashMap<>();
    commands.forEach(
        (framework, argv) -> {
          if (framework == null || framework.isBlank()) {
            throw new IllegalArgumentException("trainer command framework name must not be blank");
          }
          if (argv == null || argv.isEmpty() || argv.get(0).isBlank()) {
            throw new IllegalArgumentException("trainer command for " + framework + " is empty");
          }
          copy.put(framework, List.copyOf(argv));
        });
    return Map.copyOf(copy);
  }
}
