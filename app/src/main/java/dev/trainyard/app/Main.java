package dev.trainyard.app;

import dev.trainyard.app.cli.ApiException;
import dev.trainyard.app.cli.ApiUnreachableException;
import dev.trainyard.app.cli.CancelCommand;
import dev.trainyard.app.cli.EventsCommand;
import dev.trainyard.app.cli.ListCommand;
import dev.trainyard.app.cli.LogsCommand;
import dev.trainyard.app.cli.StatusCommand;
import dev.trainyard.app.cli.SubmitCommand;
import dev.trainyard.app.cli.TerminalText;
import dev.trainyard.app.cli.storage.ArtifactsCommand;
import dev.trainyard.app.cli.storage.DatasetCommand;
import dev.trainyard.app.dev.DemoCommand;
import dev.trainyard.app.dev.DevCommand;
import dev.trainyard.app.server.ServerCommand;
import dev.trainyard.app.worker.WorkerCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code trainyard} command: the server and worker processes, the dev stack and the CLI. */
@Command(
    name = "trainyard",
    mixinStandardHelpOptions = true,
    version = "trainyard 0.1.0",
    description = "Durable orchestration of ML training jobs on Temporal.",
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success (for --follow and demo: the job succeeded)",
      "1:the job failed",
      "2:the job was cancelled",
      "3:the API rejected the request",
      "4:the API could not be reached or failed",
      "5:a local component could not start",
      "64:invalid command line"
    },
    subcommands = {
      DevCommand.class,
      DemoCommand.class,
      ServerCommand.class,
      WorkerCommand.class,
      SubmitCommand.class,
      StatusCommand.class,
      ListCommand.class,
      CancelCommand.class,
      EventsCommand.class,
      LogsCommand.class,
      DatasetCommand.class,
      ArtifactsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setExecutionExceptionHandler(Main::reportFailure);
    // exitCodeOnInvalidInput is per command; subcommands would otherwise answer 2 ("cancelled").
    for (CommandLine sub : commandLine.getSubcommands().values()) {
      sub.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
    }
    return commandLine;
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  /** Turns the failures a user can act on into one clear message and an exit code. */
  private static int reportFailure(
      Exception failure, CommandLine command, CommandLine.ParseResult parseResult)
      throws Exception {
    PrintWriter err = command.getErr();
    if (failure instanceof ApiException api) {
      // A problem's detail and field errors may quote what a trainer or a client sent.
      err.println("error: " + TerminalText.escape(api.detail()) + " (HTTP " + api.status() + ")");
      api.fieldErrors()
          .forEach(
              (field, problem) ->
                  err.println(
                      "  " + TerminalText.escape(field) + ": " + TerminalText.escape(problem)));
      if (!api.hint().isEmpty()) {
        err.println("next: " + api.hint());
      }
      err.flush();
      return api.status() >= 500 ? ExitCodes.API_UNAVAILABLE : ExitCodes.REQUEST_REJECTED;
    }
    if (failure instanceof ApiUnreachableException unreachable) {
      err.println("error: " + unreachable.getMessage());
      err.flush();
      return ExitCodes.API_UNAVAILABLE;
    }
    if (failure instanceof StartupException startup) {
      err.println("error: " + startup.getMessage());
      err.flush();
      return ExitCodes.STARTUP_FAILED;
    }
    throw failure;
  }
}
