package dev.trainyard.app.server;

import dev.trainyard.api.TrainyardApiApplication;
import dev.trainyard.app.UntilStopped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Runs the API process against an external PostgreSQL and Temporal. Dropwizard owns this process
 * from here on: configuration, logging and shutdown are its, as with any Dropwizard server.
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
    if (!Files.isReadable(config)) {
      throw new dev.trainyard.app.StartupException("cannot read API configuration " + config);
    }
    new TrainyardApiApplication().run("server", config.toString());
    // Jetty runs on its own threads and stops from its shutdown hook; main must not exit the JVM.
    UntilStopped.block();
    return 0;
  }
}
