package dev.trainyard.app.dev;

import dev.trainyard.app.UntilStopped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "dev",
    description = {
      "Run the whole stack on this machine: embedded PostgreSQL, Temporal, the API and a worker"
          + " with local trainers.",
      "Environment: TRAINYARD_DATA_DIR (default ./.trainyard), TRAINYARD_HTTP_PORT (8080),"
          + " TRAINYARD_TEMPORAL_PORT (7233), TRAINYARD_TRAINER_COMMAND (the trainer of scripted"
          + " and of every framework without its own; default: the scripted trainer, other"
          + " frameworks refused), TRAINYARD_TRAINER_COMMAND_<FRAMEWORK> (one framework's"
          + " trainer), TRAINYARD_TEMPORAL_BIN (the temporal CLI; default: temporal on PATH, else"
          + " $TRAINYARD_CACHE/bin/temporal (~/.cache/trainyard), which ./trainyard builds once"
          + " where Go is present, else the in-memory Java test server), TRAINYARD_JWT_SECRET (the callback-token key, at"
          + " least 32 bytes; default: one kept in the data dir).",
      "Creates project demo and a global admin key, kept in <data dir>/admin-api-key (mode 600),"
          + " which the CLI on this machine sends to the local API when no other key is set."
          + " Everything listens on 127.0.0.1 only."
    },
    mixinStandardHelpOptions = true)
public final class DevCommand implements Callable<Integer> {
  @Override
  public Integer call() throws Exception {
    DevSettings settings = DevSettings.fromEnvironment(System.getenv(), Path.of(""));
    System.out.println("starting the Trainyard dev stack in " + settings.dataDirectory() + " ...");
    DevStack stack = DevStack.start(settings);
    UntilStopped.closeOnShutdown(
        "dev stack",
        () -> {
          System.out.println("\nstopping the dev stack ...");
          stack.close();
          System.out.println("stopped.");
        });
    System.out.println(stack.summary());
    if (!Files.isExecutable(TrainerFrameworks.python(System.getenv()))) {
      // Not installed up front: most dev sessions run the scripted trainer only.
      System.out.println(
          "ultralytics jobs need the trainer's Python, not installed yet: run "
              + TrainerVenv.INSTALLER
              + " (once, about 3 GB), or set "
              + TrainerFrameworks.PYTHON_ENV);
    }
    System.out.println("Press Ctrl-C to stop.");
    UntilStopped.block();
    return 0;
  }
}
