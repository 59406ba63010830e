package dev.trainyard.app.worker;

import dev.trainyard.app.UntilStopped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs a worker process; start as many as the load needs against the same Temporal and database.
 */
@Command(
    name = "worker",
    description =
        "Run a Temporal worker (workflow + activities) against external PostgreSQL and Temporal.",
    mixinStandardHelpOptions = true)
public final class WorkerCommand implements Callable<Integer> {
  @Parameters(
      paramLabel = "CONFIG_YML",
      description = "Worker configuration (see example-worker.yml)")
  Path config;

  @Option(
      names = "--ready-file",
      paramLabel = "FILE",
      description =
          "Written once the worker polls Temporal (a container healthcheck tests for it).")
  Path readyFile;

  @Override
  public Integer call() throws Exception {
    WorkerConfiguration configuration = WorkerConfiguration.load(config, System.getenv());
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
            + "); Ctrl-C to stop");
    UntilStopped.block();
    return 0;
  }
}
