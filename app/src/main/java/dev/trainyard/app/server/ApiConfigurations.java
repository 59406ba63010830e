package dev.trainyard.app.server;

import dev.trainyard.api.TrainyardApiConfiguration;
import dev.trainyard.api.config.ApiConfigurationFile;
import dev.trainyard.app.StartupException;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.UndefinedEnvironmentVariableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * An API configuration file read as {@code trainyard server} reads it, for the commands that need
 * one ({@code server}, {@code admin}): what is wrong with it becomes a {@link StartupException}
 * (exit code 5) whose message names the file and each setting or variable at fault, as the worker's
 * does.
 */
public final class ApiConfigurations {
  private ApiConfigurations() {}

  public static TrainyardApiConfiguration load(Path file, Map<String, String> environment) {
    if (!Files.isReadable(file)) {
      throw new StartupException("cannot read API configuration " + file);
    }
    try {
      return ApiConfigurationFile.load(file, environment);
    } catch (ConfigurationException e) {
      throw new StartupException("invalid API configuration " + e.getMessage().strip());
    } catch (UndefinedEnvironmentVariableException e) {
      throw new StartupException("invalid API configuration " + file + ": " + e.getMessage());
    } catch (IOException e) {
      throw new StartupException("cannot read API configuration " + file, e);
    }
  }
}
