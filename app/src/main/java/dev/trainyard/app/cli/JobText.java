package dev.trainyard.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;

/**
 * How jobs and events read on a terminal. Every value from the API goes through {@link
 * TerminalText#escape}: much of it was written by a trainer.
 */
public final class JobText {
  private static final List<String> SUMMARY_FIELDS =
      List.of(
          "status",
          "failure_reason",
          "error_message",
          "trace_id",
          "workflow_id",
          "framework",
          "model_name",
          "dataset_id",
          "project_id",
          "epochs",
          "batch_size",
          "learning_rate",
          "hyperparameters",
          "current_epoch",
          "progress",
          "last_heartbeat_at",
          "final_metrics",
          "artifacts",
          "mlflow_run_id",
          "training_time_seconds",
          "cancel_requested_at",
          "created_at",
          "queued_at",
          "started_at",
          "completed_at");

  private JobText() {}

  /**
   * The job's fields, one per line; null fields are left out. A job allowed more than one attempt
   * says which it is on ("attempt 2 of 3"), and one that had more than one lists them.
   */
  public static String summary(JsonNode job) {
    StringBuilder text = new StringBuilder("job " + text(job.path("job_id")));
    for (String field : SUMMARY_FIELDS) {
      JsonNode value = job.get(field);
      if (value != null && !value.isNull()) {
        text.append(String.format(Locale.ROOT, "%n  %-22s %s", field, text(value)));
      }
      if (field.equals("status") && attemptText(job) != null) {
        text.append(String.format(Locale.ROOT, "%n  %-22s %s", "attempt", attemptText(job)));
      }
    }
    JsonNode attempts = job.path("attempts");
    if (attempts.size() > 1) {
      text.append(String.format(Locale.ROOT, "%n  attempts"));
      for (JsonNode attempt : attempts) {
        text.append(String.format(Locale.ROOT, "%n    %s", attemptLine(attempt)));
      }
    }
    return text.toString();
  }

  /** "2 of 3"; null for a job of one attempt (the seed's, or one not retried). */
  static String attemptText(JsonNode job) {
    int attempt = job.path("attempt").asInt(1);
    int max = job.path("max_attempts").asInt(attempt);
    return max > 1 || attempt > 1 ? attempt + " of " + max : null;
  }

  /** One attempt: "2 2026-…Z – running resumed from epoch 3". */
  static String attemptLine(JsonNode a) {
    StringBuilder line =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%-3s %s – %s",
                text(a.path("attempt")),
                text(a.path("started_at")),
                a.hasNonNull("ended_at") ? text(a.get("ended_at")) : "running"));
    if (a.hasNonNull("cause")) {
      line.append("  ").append(text(a.get("cause")));
      if (a.hasNonNull("message")) {
        line.append(": ").append(text(a.get("message")));
      }
    }
    JsonNode resumed = a.path("resumed_from");
    if (resumed.isObject()) {
      line.append("  resumed from ")
          .append(resumed.hasNonNull("epoch") ? "epoch " + text(resumed.get("epoch")) : "")
          .append(" (")
          .append(text(resumed.path("uri")))
          .append(')');
    }
    return line.toString();
  }

  /** One line saying how the job ended, with the reason and message of a failure. */
  public static String outcome(JsonNode job) {
    StringBuilder line = new StringBuilder("job " + text(job.path("job_id")) + " ");
    line.append(text(job.path("status")));
    if (job.hasNonNull("failure_reason")) {
      line.append(" (").append(text(job.get("failure_reason"))).append(")");
    }
    if (job.hasNonNull("error_message")) {
      line.append(": ").append(text(job.get("error_message")));
    }
    if (job.hasNonNull("final_metrics") && job.get("final_metrics").size() > 0) {
      line.append(" final metrics ").append(text(job.get("final_metrics")));
    }
    if (job.hasNonNull("training_time_seconds")) {
      line.append(" in ").append(text(job.get("training_time_seconds"))).append(" s");
    }
    return line.toString();
  }

  public static String event(JsonNode event) {
    StringBuilder line =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%s %-9s %-7s %-20s %s",
                text(event.path("created_at")),
                text(event.path("source")),
                text(event.path("level")),
                text(event.path("event_type")),
                text(event.path("message"))));
    JsonNode data = event.get("data");
    if (data != null && !data.isNull() && data.size() > 0) {
      line.append(' ').append(text(data));
    }
    return line.toString();
  }

  public static String tableHeader() {
    return String.format(
        Locale.ROOT,
        "%-8s %-10s %-12s %-20s %-20s %-9s %-8s %s",
        "ID",
        "STATUS",
        "FRAMEWORK",
        "MODEL",
        "DATASET",
        "EPOCH",
        "PROGRESS",
        "CREATED");
  }

  public static String tableRow(JsonNode job) {
    return String.format(
        Locale.ROOT,
        "%-8s %-10s %-12s %-20s %-20s %-9s %7.1f%% %s",
        text(job.path("job_id")),
        text(job.path("status")),
        text(job.path("framework")),
        text(job.path("model_name")),
        text(job.path("dataset_id")),
        job.path("current_epoch").asInt() + "/" + job.path("epochs").asInt(),
        job.path("progress").asDouble(),
        text(job.path("created_at")));
  }

  /**
   * A value as printed: a string as it is, anything else as its JSON (whose escapes Jackson has
   * written), then made terminal-safe; a missing value is empty.
   */
  static String text(JsonNode value) {
    if (value == null || value.isMissingNode() || value.isNull()) {
      return "";
    }
    return TerminalText.escape(value.isValueNode() ? value.asText() : value.toString());
  }
}
