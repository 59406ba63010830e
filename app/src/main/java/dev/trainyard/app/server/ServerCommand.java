package dev.trainyard.app.server;

import dev.trainyard.api.TrainyardApiApplication;
import dev.trainyard.app.UntilStopped;
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
    // Refused here as the worker refuses its own (exit 5, the setting named), before Dropwizard,
    // whose own refusal would exit 1 with a stack of its messages.
    ApiConfigurations.load(config, System.getenv());
    new TrainyardApiApplication().run("server", config.toString());
    // Jetty runs on its own threads and stops from its shutdown hook; main must not exit the JVM.
    UntilStopped.block();
    return 0;
  }
}
