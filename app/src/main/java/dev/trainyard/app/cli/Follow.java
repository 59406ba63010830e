package dev.trainyard.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.app.ExitCodes;
import java.time.Duration;

/** Follows a job to its end on standard output and turns its final status into an exit code. */
public final class Follow {
  static final Duration POLL_INTERVAL = Duration.ofMillis(500);

  private Follow() {}

  public static int toTheEnd(ApiClient api, long jobId, boolean showAllEvents)
      throws InterruptedException {
    ProgressLine progress = new ProgressLine(System.out, System.console() != null);
    JsonNode job = new JobFollower(api, progress, POLL_INTERVAL, showAllEvents).follow(jobId);
    System.out.println(JobText.outcome(job));
    return ExitCodes.forJobStatus(job.path("status").asText());
  }
}
