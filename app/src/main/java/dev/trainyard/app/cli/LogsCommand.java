package dev.trainyard.app.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trainyard logs <id> [--tail N] [--follow]}: the trainer's output, local or Kubernetes. */
@Command(
    name = "logs",
    description = "Show a job's trainer log (its last lines, or follow it to the end).",
    mixinStandardHelpOptions = true)
public final class LogsCommand implements Callable<Integer> {
  @Mixin ApiOptions apiOptions;

  @Parameters(paramLabel = "JOB_ID", description = "The job's id")
  long jobId;

  @Option(
      names = {"-n", "--tail"},
      paramLabel = "N",
      defaultValue = "100",
      description = "How many of the last lines to show (1-10000, default ${DEFAULT-VALUE})")
  int tail;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new lines until the job ends")
  boolean follow;

  @Override
  public Integer call() {
    PrintStream out = System.out;
    apiOptions
        .client()
        .logs(
            jobId,
            tail,
            follow,
            line -> {
              out.println(TerminalText.logLine(line)); // the trainer wrote it: see TerminalText
              out.flush();
            });
    return 0;
  }
}
