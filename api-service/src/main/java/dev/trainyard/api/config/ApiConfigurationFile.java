package dev.trainyard.api.config;

import dev.trainyard.api.TrainyardApiConfiguration;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.ConfigurationSourceProvider;
import io.dropwizard.configuration.DefaultConfigurationFactoryFactory;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.validation.BaseValidator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * How an API configuration file is read, in one place for the server, {@code trainyard admin} and
 * the tests: {@code ${VAR}} and {@code ${VAR:-default}} filled from the environment, where a
 * variable without a default that is unset is an error naming it (the worker's YAML is read the
 * same way: WorkerConfigurationFactory), then Dropwizard's factory, which refuses unknown keys and
 * validates the whole file.
 */
public final class ApiConfigurationFile {
  private ApiConfigurationFile() {}

  /** {@code source} with the environment's values substituted, strictly. */
  public static SubstitutingSourceProvider substituting(
      ConfigurationSourceProvider source, Map<String, String> environment) {
    // strict: an unset variable without a default would otherwise stay in the text as "${X}",
    // a password or host that no one set, found out only when it is used
    EnvironmentVariableSubstitutor substitutor = new EnvironmentVariableSubstitutor(true, false);
    substitutor.setVariableResolver(environment::get);
    return new SubstitutingSourceProvider(source, substitutor);
  }

  /**
   * Reads and validates {@code file} as {@code trainyard server} does.
   *
   * @throws ConfigurationException naming each setting at fault
   * @throws io.dropwizard.configuration.UndefinedEnvironmentVariableException naming the variable
   */
  public static TrainyardApiConfiguration load(Path file, Map<String, String> environment)
      throws IOException, ConfigurationException {
    // Dropwizard's own factory, as `server` builds it: it refuses unknown keys, which a plain
    // YamlConfigurationFactory on Jackson.newObjectMapper() would ignore
    return new DefaultConfigurationFactoryFactory<TrainyardApiConfiguration>()
        .create(
            TrainyardApiConfiguration.class,
            BaseValidator.newValidator(),
            Jackson.newObjectMapper(),
            "dw")
        .build(substituting(new FileConfigurationSourceProvider(), environment), file.toString());
  }
}
