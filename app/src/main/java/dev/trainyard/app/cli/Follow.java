package dev.trainyard.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.app.ExitCodes;
import java.io.PrintStream;

/** Follows a job to its end on standard output and turns its final status into an exit code. */
public final class Follow {
  private Follow() {}

  /** Follows the job, prints its outcome and returns the exit code for it. */
  public static int toTheEnd(ApiClient api, long jobId, boolean showAllEvents)
      throws InterruptedException {
    JsonNode job = follow(api, jobId, showAllEvents);
    System.out.println(JobText.outcome(job));
    return ExitCodes.forJobStatus(job.path("status").asText());
  }

  /** Follows the job over its stream (live, no polling); returns the job as it ended. */
  public static JsonNode follow(ApiClient api, long jobId, boolean showAllEvents)
      throws InterruptedException {
    ProgressLine progress = new ProgressLine(System.out, System.console() != null);
    PrintStream err = System.err;
    // connection notices go to stderr, above the progress bar, so stdout stays the job's story
    JobStream stream =
        new JobStream(api, jobId, line -> progress.printAbove(err, line), JobStream.Timing.DEFAULT);
    return new JobFollower(api, progress, showAllEvents, line -> progress.printAbove(err, line))
        .follow(stream);
  }
}
