package dev.trainyard.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "events", description = "Show a job's events.", mixinStandardHelpOptions = true)
public final class EventsCommand implements Callable<Integer> {
  private static final int PAGE = 100;

  @Mixin ApiOptions apiOptions;

  @Parameters(paramLabel = "JOB_ID", description = "The job's id")
  long jobId;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing events until the job ends")
  boolean follow;

  @Override
  public Integer call() throws InterruptedException {
    ApiClient api = apiOptions.client();
    if (follow) {
      return Follow.toTheEnd(api, jobId, true);
    }
    Long after = null;
    while (true) {
      JsonNode events = api.events(jobId, after, PAGE).path("events");
      for (JsonNode event : events) {
        System.out.println(JobText.event(event));
        after = event.path("id").asLong();
      }
      if (events.size() < PAGE) {
        return 0;
      }
    }
  }
}
