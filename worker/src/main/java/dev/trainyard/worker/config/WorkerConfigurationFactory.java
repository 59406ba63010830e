package dev.trainyard.worker.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.validation.BaseValidator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads a worker YAML with Dropwizard's own machinery, as the API's is read: {@code ${VAR}} and
 * {@code ${VAR:-default}} filled from the environment (an unset variable without a default is an
 * error naming it), unknown keys refused, Jakarta Bean Validation, and errors that name the setting
 * at fault. Before binding, the environment fills what the file leaves to it: {@code jwtSecret}
 * from {@code TRAINYARD_JWT_SECRET}, and the local launcher's commands from {@link
 * TrainerCommandVariables}.
 */
public final class WorkerConfigurationFactory
    extends YamlConfigurationFactory<WorkerConfiguration> {
  private final Map<String, String> environment;

  private WorkerConfigurationFactory(ObjectMapper mapper, Map<String, String> environment) {
    super(WorkerConfiguration.class, BaseValidator.newValidator(), mapper, "trainyard.worker");
    this.environment = environment;
  }

  /**
   * @param environment the process environment ({@code System.getenv()}), or a test's
   */
  public static WorkerConfiguration load(Path file, Map<String, String> environment)
      throws IOException, ConfigurationException {
    ObjectMapper mapper =
        Jackson.newObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    EnvironmentVariableSubstitutor substitutor = new EnvironmentVariableSubstitutor(true, false);
    substitutor.setVariableResolver(environment::get);
    return new WorkerConfigurationFactory(mapper, environment)
        .build(
            new SubstitutingSourceProvider(new FileConfigurationSourceProvider(), substitutor),
            file.toString());
  }

  @Override
  protected WorkerConfiguration build(JsonNode node, String path)
      throws IOException, ConfigurationException {
    if (node instanceof ObjectNode root) {
      fillFromEnvironment(root);
    }
    return super.build(node, path);
  }

  private void fillFromEnvironment(ObjectNode root) {
    JsonNode secret = root.path("jwtSecret");
    String fromEnvironment = environment.get(WorkerConfiguration.JWT_SECRET_ENV);
    if ((secret.isMissingNode() || secret.isNull() || secret.asText().isBlank())
        && fromEnvironment != null) {
      root.put("jwtSecret", fromEnvironment);
    }
    if (root.path("launcher").path(LauncherSettings.LOCAL) instanceof ObjectNode local) {
      TrainerCommandVariables.everyOtherFramework(environment)
          .ifPresent(argv -> local.set("defaultCommand", strings(argv)));
      Map<String, List<String>> perFramework = TrainerCommandVariables.perFramework(environment);
      if (!perFramework.isEmpty()) {
        ObjectNode commands =
            local.path("commands") instanceof ObjectNode existing
                ? existing
                : local.putObject("commands");
        perFramework.forEach((framework, argv) -> commands.set(framework, strings(argv)));
      }
    }
  }

  private JsonNode strings(List<String> argv) {
    return mapper.valueToTree(argv);
  }
}
