package dev.trainyard.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.workflows.JobStatus;
import java.time.Duration;

/**
 * Polls a job, its events and its metrics until the job ends, showing status changes as they happen
 * and a live progress line. Returns the job as it ended.
 */
public final class JobFollower {
  private static final int PAGE = 100;

  private final ApiClient api;
  private final ProgressLine progress;
  private final Duration pollInterval;
  private final boolean showAllEvents;

  private JobStatus shown;
  private Long lastEventId;
  private Long lastMetricId;
  private Double latestLoss;

  /**
   * @param showAllEvents print every event (as {@code events --follow} does); otherwise only status
   *     changes and the trainer's warnings and errors.
   */
  public JobFollower(
      ApiClient api, ProgressLine progress, Duration pollInterval, boolean showAllEvents) {
    this.api = api;
    this.progress = progress;
    this.pollInterval = pollInterval;
    this.showAllEvents = showAllEvents;
  }

  public JsonNode follow(long jobId) throws InterruptedException {
    while (true) {
      JsonNode job = api.job(jobId);
      JobStatus status = JobStatus.fromWire(job.path("status").asText());
      if (shown == null) {
        progress.printAbove("job " + jobId + ": " + status.wireName());
        shown = status;
      }
      drainEvents(jobId);
      drainMetrics(jobId);
      // Events carry every transition; the job row covers a store that has none (yet).
      if (status.ordinal() > shown.ordinal()) {
        progress.printAbove("job " + jobId + ": " + status.wireName());
        shown = status;
      }
      progress.update(job, latestLoss);
      if (status.isTerminal()) {
        progress.finish();
        return job;
      }
      Thread.sleep(pollInterval.toMillis());
    }
  }

  private void drainEvents(long jobId) {
    while (true) {
      JsonNode events = api.events(jobId, lastEventId, PAGE).path("events");
      for (JsonNode event : events) {
        lastEventId = event.path("id").asLong();
        show(jobId, event);
      }
      if (events.size() < PAGE) {
        return;
      }
    }
  }

  private void show(long jobId, JsonNode event) {
    if ("status_changed".equals(event.path("event_type").asText())
        && "trainyard".equals(event.path("source").asText())) {
      JsonNode data = event.path("data");
      JobStatus to = JobStatus.fromWire(data.path("to").asText("pending"));
      if (to.ordinal() <= shown.ordinal()) {
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

  private void drainMetrics(long jobId) {
    while (true) {
      JsonNode rows = api.metrics(jobId, lastMetricId, PAGE).path("metrics");
      for (JsonNode row : rows) {
        lastMetricId = row.path("id").asLong();
        JsonNode loss = row.path("metrics").path("loss");
        if (loss.isNumber()) {
          latestLoss = loss.asDouble();
        }
      }
      if (rows.size() < PAGE) {
        return;
      }
    }
  }
}
