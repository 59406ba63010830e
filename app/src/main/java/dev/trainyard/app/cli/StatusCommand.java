package dev.trainyard.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "status", description = "Show one job.", mixinStandardHelpOptions = true)
public final class StatusCommand implements Callable<Integer> {
  @Mixin ApiOptions apiOptions;

  @Parameters(paramLabel = "JOB_ID", description = "The job's id")
  long jobId;

  @Option(names = "--json", description = "Print the API's JSON answer")
  boolean printJson;

  @Override
  public Integer call() {
    JsonNode job = apiOptions.client().job(jobId);
    System.out.println(printJson ? job.toPrettyString() : JobText.summary(job));
    return 0;
  }
}
