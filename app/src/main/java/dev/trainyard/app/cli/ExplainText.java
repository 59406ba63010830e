package dev.trainyard.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * How {@code trainyard explain} reads on a terminal: the API's explanation, section by section.
 * Every value goes through {@link JobText#text} (made terminal-safe): messages, events and log
 * lines were written by a trainer.
 */
public final class ExplainText {
  private ExplainText() {}

  public static String of(JsonNode e) {
    StringBuilder out = new StringBuilder();
    out.append("job ")
        .append(JobText.text(e.path("job_id")))
        .append(": ")
        .append(JobText.text(e.path("summary")));
    line(out, "trace id", JobText.text(e.path("trace_id")));
    if (e.hasNonNull("reason")) {
      out.append("\n  ").append(JobText.text(e.get("reason")));
    }

    out.append("\n\ntimeline");
    for (JsonNode step : e.path("timeline")) {
      String length =
          step.hasNonNull("seconds")
              ? seconds(step.get("seconds").asDouble())
                  + (step.path("current").asBoolean() ? " so far" : "")
              : "ended";
      out.append(
          String.format(
              Locale.ROOT,
              "%n  %-10s %-28s %s",
              JobText.text(step.path("status")),
              JobText.text(step.path("at")),
              length));
    }

    attempts(out, e.path("attempts"));

    out.append("\n\n");
    waitingFor(out, e.path("waiting_for"));
    temporal(out, e.path("temporal"));

    out.append("\n\nlast events");
    if (e.path("last_events").isEmpty()) {
      out.append("\n  none");
    }
    for (JsonNode event : e.path("last_events")) {
      out.append("\n  ").append(JobText.event(event));
    }

    out.append("\n\nlast log lines");
    JsonNode log = e.path("log");
    for (JsonNode line : log.path("lines")) {
      out.append("\n  ").append(TerminalText.logLine(line.asText()));
    }
    if (log.hasNonNull("note")) {
      out.append("\n  none: ").append(JobText.text(log.get("note")));
    } else if (log.path("lines").isEmpty()) {
      out.append("\n  none: the trainer has written nothing yet");
    }

    JsonNode links = e.path("links");
    out.append("\n\nlinks");
    line(
        out,
        "Temporal UI",
        links.hasNonNull("temporal_ui")
            ? JobText.text(links.get("temporal_ui"))
            : "none (the API's dashboard.temporalUiUrl is not set)");
    line(
        out,
        "MLflow run",
        links.hasNonNull("mlflow_run")
            ? JobText.text(links.get("mlflow_run"))
            : "none (no run recorded, or the API's dashboard.mlflowUrl is not set)");
    return out.toString();
  }

  /** Shown once the job may have more than one attempt; a job of one says nothing here. */
  private static void attempts(StringBuilder out, JsonNode attempts) {
    int max = attempts.path("max_attempts").asInt(1);
    if (max <= 1 && attempts.path("lines").size() <= 1) {
      return;
    }
    out.append("\n\nattempts     ")
        .append(attempts.path("attempt").asInt(1))
        .append(" of ")
        .append(max);
    for (JsonNode line : attempts.path("lines")) {
      out.append("\n  ").append(JobText.text(line));
    }
    if (attempts.hasNonNull("retrying")) {
      out.append("\n  ").append(JobText.text(attempts.get("retrying")));
    }
  }

  private static void waitingFor(StringBuilder out, JsonNode waiting) {
    if ("nothing".equals(waiting.path("kind").asText())) {
      out.append("waiting for  nothing: ").append(JobText.text(waiting.path("text")));
      return;
    }
    out.append("waiting for  ").append(JobText.text(waiting.path("text")));
    if (waiting.hasNonNull("deadline_at")) {
      double left = waiting.path("seconds_left").asDouble();
      out.append("\n  deadline   ")
          .append(JobText.text(waiting.get("deadline_at")))
          .append(left >= 0 ? ", in " + seconds(left) : ", " + seconds(-left) + " ago");
      if (waiting.hasNonNull("then")) {
        out.append(" (then: ").append(JobText.text(waiting.get("then"))).append(')');
      }
    }
    if ("database".equals(waiting.path("source").asText())) {
      out.append("\n  (told from the database: the workflow could not be asked)");
    }
  }

  private static void temporal(StringBuilder out, JsonNode temporal) {
    out.append("\ntemporal     ");
    if (!temporal.path("reachable").asBoolean()) {
      out.append(JobText.text(temporal.path("problem")))
          .append("\n             (the rest comes from the database)");
      return;
    }
    if (temporal.hasNonNull("workflow_status")) {
      out.append("workflow ")
          .append(JobText.text(temporal.get("workflow_status")))
          .append(", ")
          .append(temporal.path("history_length").asLong())
          .append(" history events");
      if (temporal.path("runs_completed").asInt() > 0) {
        out.append(", continued as new ")
            .append(temporal.get("runs_completed").asInt())
            .append(" times");
      }
    }
    if (temporal.hasNonNull("problem")) {
      out.append(temporal.hasNonNull("workflow_status") ? "\n             " : "")
          .append(JobText.text(temporal.get("problem")));
    }
    for (JsonNode activity : temporal.path("pending_activities")) {
      out.append("\n  activity   ").append(activity(activity));
    }
  }

  static String activity(JsonNode a) {
    StringBuilder text = new StringBuilder(JobText.text(a.path("activity_type")));
    if (a.hasNonNull("what")) {
      text.append(" (").append(JobText.text(a.get("what"))).append(')');
    }
    text.append(": ")
        .append(JobText.text(a.path("state")))
        .append(", attempt ")
        .append(a.path("attempt").asInt());
    if (a.path("maximum_attempts").asInt() > 0) {
      text.append(" of ").append(a.get("maximum_attempts").asInt());
    }
    if (a.hasNonNull("next_attempt_at")) {
      text.append(", next attempt at ").append(JobText.text(a.get("next_attempt_at")));
    }
    if (a.hasNonNull("last_failure")) {
      text.append(", last failure: ").append(JobText.text(a.get("last_failure")));
    }
    return text.toString();
  }

  private static void line(StringBuilder out, String label, String value) {
    out.append(String.format(Locale.ROOT, "%n  %-12s %s", label, value));
  }

  /** "0.4 s", "42.0 s", "3 min 5 s", "2 h 10 min". */
  static String seconds(double seconds) {
    if (seconds < 60) {
      return String.format(Locale.ROOT, "%.1f s", seconds);
    }
    long s = Math.round(seconds);
    if (s < 3_600) {
      return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
    }
    return s / 3_600 + " h" + (s % 3_600 / 60 == 0 ? "" : " " + s % 3_600 / 60 + " min");
  }
}
