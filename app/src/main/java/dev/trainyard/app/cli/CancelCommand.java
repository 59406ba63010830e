package dev.trainyard.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "cancel",
    description = "Ask a job to stop. The trainer is told on its next heartbeat.",
    mixinStandardHelpOptions = true)
public final class CancelCommand implements Callable<Integer> {
  @Mixin ApiOptions apiOptions;

  @Parameters(paramLabel = "JOB_ID", description = "The job's id")
  long jobId;

  @Option(
      names = {"-f", "--follow"},
      description = "Follow the job until it has stopped")
  boolean follow;

  @Override
  public Integer call() throws InterruptedException {
    ApiClient api = apiOptions.client();
    JsonNode reply = api.cancel(jobId);
    System.out.println(
        "cancel requested for job "
            + jobId
            + " at "
            + reply.path("cancel_requested_at").asText()
            + " (status "
            + reply.path("status").asText()
            + ")");
    return follow ? Follow.toTheEnd(api, jobId, false) : 0;
  }
}
