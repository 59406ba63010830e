package dev.trainyard.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.app.ExitCodes;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "explain",
    description =
        "Say why a job failed, or what it is waiting for now: its status and failure reason in"
            + " words, the timeline of its status changes, the deadline or activity its workflow"
            + " waits on, its last events and log lines, and links to Temporal and MLflow.",
    mixinStandardHelpOptions = true)
public final class ExplainCommand implements Callable<Integer> {
  private static final Pattern JOB_ID = Pattern.compile("[1-9][0-9]{0,18}");

  /** What the job list's {@code q} takes: a trace id (a UUID) or the start of one. */
  private static final Pattern TRACE_PREFIX = Pattern.compile("[A-Za-z0-9-]{1,100}");

  @Mixin ApiOptions apiOptions;
  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "JOB",
      description =
          "The job's id (digits), or its trace id or the start of it (a trace id from a log line)")
  String job;

  @Option(
      names = "--events",
      paramLabel = "N",
      description = "How many of the last events (1-100; default: the API's, 10)")
  Integer events;

  @Option(
      names = {"-n", "--lines"},
      paramLabel = "N",
      description = "How many of the trainer log's last lines (1-10000; default: the API's, 20)")
  Integer lines;

  @Option(names = "--json", description = "Print the API's JSON answer")
  boolean printJson;

  @Override
  public Integer call() {
    ApiClient api = apiOptions.client();
    JsonNode explanation = api.explain(jobId(api), events, lines);
    PrintWriter out = spec.commandLine().getOut();
    out.println(printJson ? explanation.toPrettyString() : ExplainText.of(explanation));
    out.flush();
    return 0;
  }

  /**
   * Digits are a job id, as everywhere in the CLI; anything else is looked up as a trace id prefix,
   * and must name exactly one job the key can see.
   */
  private long jobId(ApiClient api) {
    if (JOB_ID.matcher(job).matches()) {
      return Long.parseLong(job);
    }
    if (!TRACE_PREFIX.matcher(job).matches()) {
      throw new CliException(
          "JOB must be a job id or a trace id (or its start): letters, digits and '-', was '"
              + TerminalText.escape(job)
              + "'",
          ExitCodes.USAGE);
    }
    List<Long> matches = new ArrayList<>();
    for (JsonNode found : api.list(null, null, null, job, 2, null).path("jobs")) {
      matches.add(found.path("job_id").asLong());
    }
    if (matches.isEmpty()) {
      throw new CliException(
          "no job your key can see has a trace id starting with '"
              + TerminalText.escape(job)
              + "' (trainyard list --query shows what matches)",
          ExitCodes.REQUEST_REJECTED);
    }
    if (matches.size() > 1) {
      throw new CliException(
          "'"
              + TerminalText.escape(job)
              + "' starts the trace ids of several jobs (at least "
              + matches.get(0)
              + " and "
              + matches.get(1)
              + "): give more of the trace id, or the job id",
          ExitCodes.REQUEST_REJECTED);
    }
    return matches.get(0);
  }
}
