package dev.trainyard.e2e.deploy;

import dev.trainyard.worker.config.TrainerCommandVariables;
import dev.trainyard.worker.config.WorkerConfiguration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment variables a Trainyard process reads: every {@code ${NAME}} or {@code
 * ${NAME:-default}} of its configuration file (substituted in the raw text, comments included, so
 * the text is searched, not the parsed YAML), plus what its code reads itself (the worker's
 * callback secret and trainer commands; DeployEnvironmentTest keeps this list complete by scanning
 * the sources for System.getenv), plus what the JVM reads.
 */
final class ProcessVariables {
  /** A placeholder; {@code defaultValue} is empty for {@code ${NAME}}: that one must be set. */
  record Placeholder(String name, Optional<String> defaultValue) {}

  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  /** Read by the JVM or the platform, whatever the process: never an error to set. */
  static final Set<String> PLATFORM = Set.of("JAVA_TOOL_OPTIONS", "JAVA_HOME", "PATH", "HOME");

  private final String process;
  private final Map<String, Placeholder> placeholders;

  private ProcessVariables(String process, Map<String, Placeholder> placeholders) {
    this.process = process;
    this.placeholders = placeholders;
  }

  /** What {@code container}'s process reads: the config file its image stage holds there. */
  static ProcessVariables of(ContainerSpec container, DockerfileStages images) throws IOException {
    DockerfileStages.Stage stage = images.stage(container.imageStage());
    String source =
        stage
            .contextFile(container.configFile())
            .orElseThrow(
                () ->
                    new AssertionError(
                        container
                            + " runs "
                            + container.configFile()
                            + ", which stage "
                            + stage.name()
                            + " of app/Dockerfile does not put there"));
    return of(container.process(), dev.trainyard.e2e.support.Repository.file(source));
  }

  static ProcessVariables of(String process, Path configFile) throws IOException {
    Map<String, Placeholder> found = new LinkedHashMap<>();
    Matcher m = PLACEHOLDER.matcher(Files.readString(configFile));
    while (m.find()) {
      Placeholder placeholder = new Placeholder(m.group(1), Optional.ofNullable(m.group(2)));
      Placeholder earlier = found.putIfAbsent(placeholder.name(), placeholder);
      if (earlier != null && !earlier.equals(placeholder)) {
        throw new AssertionError(
            configFile
                + " reads "
                + placeholder.name()
                + " with two defaults: "
                + earlier
                + " and "
                + placeholder);
      }
    }
    if (!process.equals("server") && !process.equals("worker")) {
      throw new AssertionError("not a Trainyard process: " + process);
    }
    return new ProcessVariables(process, found);
  }

  Map<String, Placeholder> placeholders() {
    return placeholders;
  }

  /** Whether the process reads {@code variable}: its file, its code, or the JVM. */
  boolean reads(String variable) {
    return placeholders.containsKey(variable)
        || codeReads(process, variable)
        || PLATFORM.contains(variable);
  }

  /** Variables the worker's code reads besides its file (WorkerConfigurationFactory). */
  static boolean codeReads(String process, String variable) {
    return process.equals("worker")
        && (variable.equals(WorkerConfiguration.JWT_SECRET_ENV)
            || variable.equals(TrainerCommandVariables.EVERY_OTHER_FRAMEWORK)
            || variable.startsWith(TrainerCommandVariables.PER_FRAMEWORK_PREFIX));
  }

  /** The value the process sees: the environment's, else the placeholder's default. */
  Optional<String> effective(String variable, Map<String, String> environment) {
    if (environment.containsKey(variable)) {
      return Optional.of(environment.get(variable));
    }
    return Optional.ofNullable(placeholders.get(variable)).flatMap(Placeholder::defaultValue);
  }
}
