package dev.trainyard.app.server;

import dev.trainyard.api.TrainyardApiApplication;
import dev.trainyard.api.config.ApiConfigurationFile;
import dev.trainyard.app.StartupException;
import dev.trainyard.app.UntilStopped;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.UndefinedEnvironmentVariableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Runs the API process against an external PostgreSQL and Temporal. The file is read and checked
 * first exactly as {@code worker} checks its own (same substitution, unknown keys and bad values
 * refused, exit code 5 with the setting named); from there Dropwizard owns this process:
 * configuration, logging and shutdown are its, as with any Dropwizard server.
 */
@Command(
    name = "server",
    description = "Run the API (user and callback REST) against external PostgreSQL and Temporal.",
    mixinStandardHelpOptions = true)
public final class ServerCommand implements Callable<Integer> {
  @Parameters(
      paramLabel = "CONFIG_YML",
      description = "API configuration (see api-service/src/main/resources/example-api.yml)")
  Path config;

  @Override
  public Integer call() throws Exception {
    check();
    new TrainyardApiApplication().run("server", config.toString());
    // Jetty runs on its own threads and stops from its shutdown hook; main must not exit the JVM.
    UntilStopped.block();
    return 0;
  }

  /** Dropwizard's messages name the file and every setting at fault; they are the user's. */
  private void check() {
    if (!Files.isReadable(config)) {
      throw new StartupException("cannot read API configuration " + config);
    }
    try {
      ApiConfigurationFile.load(config, System.getenv());
    } catch (ConfigurationException e) {
      throw new StartupException("invalid API configuration " + e.getMessage().strip());
    } catch (UndefinedEnvironmentVariableException e) {
      throw new StartupException("invalid API configuration " + config + ": " + e.getMessage());
    } catch (IOException e) {
      throw new StartupException("cannot read API configuration " + config, e);
    }
  }
}
