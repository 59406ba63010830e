package dev.trainyard.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.app.ExitCodes;
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

  @Option(
      names = {"-f", "--follow"},
      description =
          "Follow the job live to its end, then show it; exit code 0 only if it succeeded")
  boolean follow;

  @Override
  public Integer call() throws InterruptedException {
    ApiClient api = apiOptions.client();
    if (!follow) {
      System.out.println(print(api.job(jobId)));
      return 0;
    }
    JsonNode job = Follow.follow(api, jobId, false);
    System.out.println(printJson ? job.toPrettyString() : JobText.outcome(job));
    return ExitCodes.forJobStatus(job.path("status").asText());
  }

  private String print(JsonNode job) {
    return printJson ? job.toPrettyString() : JobText.summary(job);
  }
}
