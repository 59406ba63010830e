package dev.trainyard.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.workflows.JobStatus;
import java.util.function.Consumer;

/**
 * Follows a job's stream until the job ends, showing status changes as they happen, its events and
 * a live progress line. Returns the job as it ended.
 */
public final class JobFollower {
  private final ApiClient api;
  private final ProgressLine progress;
  private final boolean showAllEvents;
  private final Consumer<String> notices;

  private JobStatus shown;
  private JsonNode job;
  private Double latestLoss;

  /**
   * @param showAllEvents print every event (as {@code events --follow} does); otherwise only status
   *     changes and the trainer's warnings and errors.
   * @param notices where a message the follower cannot use is reported (stderr)
   */
  public JobFollower(
      ApiClient api, ProgressLine progress, boolean showAllEvents, Consumer<String> notices) {
    this.api = api;
    this.progress = progress;
    this.showAllEvents = showAllEvents;
    this.notices = notices;
  }

  public JsonNode follow(JobStream stream) throws InterruptedException {
    long jobId = stream.jobId();
    stream.follow(message -> handle(jobId, message));
    // `end` says the job is terminal; the last snapshot normally is too, but ask if it is not
    if (job == null || !status(job).isTerminal()) {
      job = api.job(jobId);
    }
    JobStatus status = status(job);
    // events carry every transition; the job row covers a store that has none
    if (shown == null || status.ordinal() > shown.ordinal()) {
      progress.printAbove("job " + jobId + ": " + status.wireName());
      shown = status;
    }
    progress.update(job, latestLoss);
    progress.finish();
    return job;
  }

  private void handle(long jobId, SseEvent message) {
    switch (message.type()) {
      case "job" -> {
        JsonNode update = parse(message);
        if (update == null) {
          return;
        }
        job = update;
        if (shown == null) {
          shown = status(job);
          progress.printAbove("job " + jobId + ": " + shown.wireName());
        }
        progress.update(job, latestLoss);
      }
      case "event" -> {
        JsonNode event = parse(message);
        if (event != null) {
          show(jobId, event);
        }
      }
      case "metric" -> {
        JsonNode row = parse(message);
        JsonNode loss = row == null ? null : row.path("metrics").path("loss");
        if (loss != null && loss.isNumber()) {
          latestLoss = loss.asDouble();
          if (job != null) {
            progress.update(job, latestLoss);
          }
        }
      }
      default -> {
        // `end` is handled when the stream returns; other types are not for the CLI
      }
    }
  }

  private void show(long jobId, JsonNode event) {
    if ("status_changed".equals(event.path("event_type").asText())
        && "trainyard".equals(event.path("source").asText())) {
      JsonNode data = event.path("data");
      JobStatus to = JobStatus.fromWire(data.path("to").asText("pending"));
      if (shown != null && to.ordinal() <= shown.ordinal()) {
        // History from before we started following: a transition only when it happens.
        if (showAllEvents) {
          progress.printAbove(JobText.event(event));
        }
        return;
      }
      String reason = JobText.text(data.path("reason"));
      progress.printAbove(
          "job "
              + jobId
              + ": "
              + (data.hasNonNull("from") ? JobText.text(data.path("from")) : "?")
              + " -> "
              + to.wireName()
              + (reason.isEmpty() || reason.equals("null") ? "" : " (" + reason + ")"));
      shown = to;
    } else if (showAllEvents || !"info".equals(event.path("level").asText())) {
      progress.printAbove(JobText.event(event));
    }
  }

  private JsonNode parse(SseEvent message) {
    try {
      return ApiOptions.Json.MAPPER.readTree(message.data());
    } catch (JsonProcessingException e) {
      notices.accept("ignored a malformed '" + TerminalText.escape(message.type()) + "' message");
      return null;
    }
  }

  private static JobStatus status(JsonNode job) {
    return JobStatus.fromWire(job.path("status").asText());
  }
}
