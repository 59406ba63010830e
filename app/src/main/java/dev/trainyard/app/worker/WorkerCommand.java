package dev.trainyard.app.worker;

import dev.trainyard.app.StartupException;
import dev.trainyard.app.UntilStopped;
import dev.trainyard.app.logging.ProcessLogging;
import dev.trainyard.worker.WorkerProcess;
import dev.trainyard.worker.config.WorkerConfiguration;
import dev.trainyard.worker.config.WorkerConfigurationFactory;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.UndefinedEnvironmentVariableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The distribution's {@code worker} command, as {@code server} is the API's: the worker process and
 * its configuration live in the worker module; this only runs it until stopped.
 */
@Command(
    name = "worker",
    description =
        "Run a Temporal worker (workflow + activities) against external PostgreSQL and Temporal.",
    mixinStandardHelpOptions = true)
public final class WorkerCommand implements Callable<Integer> {
  @Parameters(
      paramLabel = "CONFIG_YML",
      description = "Worker configuration (see worker/src/main/resources/example-worker.yml)")
  Path config;

  @Option(
      names = "--ready-file",
      paramLabel = "FILE",
      description =
          "Written once the worker polls Temporal (a container healthcheck tests for it).")
  Path readyFile;

  @Override
  public Integer call() throws Exception {
    if (!Files.isReadable(config)) {
      throw new StartupException("cannot read worker configuration " + config);
    }
    WorkerConfiguration configuration = load();
    ProcessLogging.useFormat(configuration.logging().format());
    WorkerProcess process = WorkerProcess.start(configuration);
    UntilStopped.closeOnShutdown("worker", process);
    if (readyFile != null) {
      Files.writeString(readyFile, ProcessHandle.current().pid() + "\n");
    }
    System.out.println(
        "trainyard worker running ("
            + configuration.temporal().target()
            + ", "
            + configuration.database().url()
            + process.adminPort().stream()
                .mapToObj(
                    port ->
                        ", health and metrics on " + configuration.admin().bindHost() + ":" + port)
                .findFirst()
                .orElse(", admin port off")
            + "); Ctrl-C to stop");
    UntilStopped.block();
    return 0;
  }

  /** Dropwizard's messages name the file and every setting at fault; they are the user's. */
  private WorkerConfiguration load() {
    try {
      return WorkerConfigurationFactory.load(config, System.getenv());
    } catch (ConfigurationException e) {
      throw new StartupException("invalid worker configuration " + e.getMessage().strip());
    } catch (UndefinedEnvironmentVariableException e) {
      throw new StartupException("invalid worker configuration " + config + ": " + e.getMessage());
    } catch (IOException e) {
      throw new StartupException("cannot read worker configuration " + config, e);
    }
  }
}
