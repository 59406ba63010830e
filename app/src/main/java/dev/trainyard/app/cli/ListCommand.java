package dev.trainyard.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list", description = "List jobs, newest first.", mixinStandardHelpOptions = true)
public final class ListCommand implements Callable<Integer> {
  @Mixin ApiOptions apiOptions;

  @Option(
      names = "--project",
      paramLabel = "PROJECT",
      description = "Only this project's jobs (default: every project your key can see)")
  String project;

  @Option(
      names = "--status",
      description =
          "Only jobs in this status (pending, queued, running, succeeded, failed, cancelled)")
  String status;

  @Option(names = "--model", description = "Only jobs of this model (exact name)")
  String model;

  @Option(
      names = {"-q", "--query"},
      paramLabel = "TEXT",
      description = "Only the job with this id, or jobs whose trace id starts with TEXT")
  String query;

  @Option(
      names = "--limit",
      defaultValue = "20",
      description = "At most this many (default: ${DEFAULT-VALUE})")
  int limit;

  @Option(
      names = "--before",
      paramLabel = "JOB_ID",
      description = "Only jobs older than this id (the next page)")
  Long before;

  @Option(names = "--json", description = "Print the API's JSON answer")
  boolean printJson;

  @Override
  public Integer call() {
    JsonNode page = apiOptions.client().list(project, status, model, query, limit, before);
    if (printJson) {
      System.out.println(page.toPrettyString());
      return 0;
    }
    System.out.println(JobText.tableHeader());
    for (JsonNode job : page.path("jobs")) {
      System.out.println(JobText.tableRow(job));
    }
    if (page.hasNonNull("next_before")) {
      System.out.println(
          "more: trainyard list"
              + (project == null ? "" : " --project " + TerminalText.escape(project))
              + (status == null ? "" : " --status " + TerminalText.escape(status))
              + (model == null ? "" : " --model " + TerminalText.escape(model))
              + (query == null ? "" : " --query " + TerminalText.escape(query))
              + " --before "
              + JobText.text(page.get("next_before")));
    }
    return 0;
  }
}
