package dev.trainyard.app;

import dev.trainyard.app.admin.AdminCommand;
import dev.trainyard.app.cli.AccessDeniedException;
import dev.trainyard.app.cli.ApiException;
import dev.trainyard.app.cli.ApiKeyRefusedException;
import dev.trainyard.app.cli.ApiUnreachableException;
import dev.trainyard.app.cli.CancelCommand;
import dev.trainyard.app.cli.CliException;
import dev.trainyard.app.cli.EventsCommand;
import dev.trainyard.app.cli.ExplainCommand;
import dev.trainyard.app.cli.ListCommand;
import dev.trainyard.app.cli.LogsCommand;
import dev.trainyard.app.cli.StatusCommand;
import dev.trainyard.app.cli.SubmitCommand;
import dev.trainyard.app.cli.TerminalText;
import dev.trainyard.app.cli.access.AuditCommand;
import dev.trainyard.app.cli.access.KeysCommand;
import dev.trainyard.app.cli.access.LoginCommand;
import dev.trainyard.app.cli.access.LogoutCommand;
import dev.trainyard.app.cli.access.ProjectsCommand;
import dev.trainyard.app.cli.access.WhoamiCommand;
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
      "3:the API rejected the request (or no API key was found to send)",
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
      ExplainCommand.class,
      LogsCommand.class,
      DatasetCommand.class,
      ArtifactsCommand.class,
      LoginCommand.class,
      LogoutCommand.class,
      WhoamiCommand.class,
      ProjectsCommand.class,
      KeysCommand.class,
      AuditCommand.class,
      AdminCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    return commandLine(CommandLine.defaultFactory());
  }

  /**
   * The command line with its commands, mixins included, made by {@code factory}: tests give the
   * CLI an environment of their own (an {@code ApiOptions} with their env, a login's stdin).
   */
  public static CommandLine commandLine(CommandLine.IFactory factory) {
    CommandLine commandLine = new CommandLine(new Main(), factory);
    commandLine.setExecutionExceptionHandler(Main::reportFailure);
    // exitCodeOnInvalidInput is per command; subcommands would otherwise answer 2 ("cancelled").
    usageExitCode(commandLine);
    return commandLine;
  }

  private static void usageExitCode(CommandLine command) {
    for (CommandLine sub : command.getSubcommands().values()) {
      sub.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
      usageExitCode(sub);
    }
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
    if (failure instanceof CliException cli) {
      err.println("error: " + cli.getMessage());
      err.flush();
      return cli.exitCode();
    }
    // Before the general case: a refused key or a role too low is one line saying what to do.
    if (failure instanceof ApiKeyRefusedException refused) {
      err.println("error: " + TerminalText.escape(refused.line()));
      err.flush();
      return ExitCodes.REQUEST_REJECTED;
    }
    if (failure instanceof AccessDeniedException denied) {
      err.println("error: " + TerminalText.escape(denied.line()));
      err.flush();
      return ExitCodes.REQUEST_REJECTED;
    }
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
