package dev.trainyard.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;

/** How jobs and events read on a terminal. */
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

  /** The job's fields, one per line; null fields are left out. */
  public static String summary(JsonNode job) {
    StringBuilder text = new StringBuilder("job " + job.path("job_id").asText());
    for (String field : SUMMARY_FIELDS) {
      JsonNode value = job.get(field);
      if (value != null && !value.isNull()) {
        text.append(
            String.format(
                Locale.ROOT,
                "%n  %-22s %s",
                field,
                value.isTextual() ? value.asText() : value.toString()));
      }
    }
    return text.toString();
  }

  /** One line saying how the job ended, with the reason and message of a failure. */
  public static String outcome(JsonNode job) {
    StringBuilder line = new StringBuilder("job " + job.path("job_id").asText() + " ");
    line.append(job.path("status").asText());
    if (job.hasNonNull("failure_reason")) {
      line.append(" (").append(job.get("failure_reason").asText()).append(")");
    }
    if (job.hasNonNull("error_message")) {
      line.append(": ").append(job.get("error_message").asText());
    }
    if (job.hasNonNull("final_metrics") && job.get("final_metrics").size() > 0) {
      line.append(" final metrics ").append(job.get("final_metrics"));
    }
    if (job.hasNonNull("training_time_seconds")) {
      line.append(" in ").append(job.get("training_time_seconds").asText()).append(" s");
    }
    return line.toString();
  }

  public static String event(JsonNode event) {
    StringBuilder line =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%s %-9s %-7s %-20s %s",
                event.path("created_at").asText(""),
                event.path("source").asText(""),
                event.path("level").asText(""),
                event.path("event_type").asText(""),
                event.path("message").asText("")));
    JsonNode data = event.get("data");
    if (data != null && !data.isNull() && data.size() > 0) {
      line.append(' ').append(data);
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
        job.path("job_id").asText(),
        job.path("status").asText(),
        job.path("framework").asText(),
        job.path("model_name").asText(),
        job.path("dataset_id").asText(),
        job.path("current_epoch").asInt() + "/" + job.path("epochs").asInt(),
        job.path("progress").asDouble(),
        job.path("created_at").asText(""));
  }
}
