package dev.trainyard.api.callbacks;

import dev.trainyard.api.errors.InvalidRequestException;
import dev.trainyard.api.jobs.FieldErrors;
import dev.trainyard.api.jobs.FreeFormJson;
import java.util.Set;

/**
 * The callback bodies' rules, checked before anything is read or written; the free-form objects and
 * text fields follow {@link FreeFormJson}.
 */
final class CallbackValidator {
  static final Set<String> LEVELS = Set.of("info", "warning", "error");
  static final Set<String> DONE_STATUSES = Set.of("succeeded", "failed");
  private static final int MAX_EVENT_TYPE = 128;

  private CallbackValidator() {}

  static void heartbeat(HeartbeatRequest body) {
    FieldErrors errors = start(body == null ? null : body.traceId(), body);
    nonNegative(errors, "epoch", body.epoch());
    nonNegative(errors, "total_epochs", body.totalEpochs());
    nonNegative(errors, "step", body.step());
    nonNegative(errors, "total_steps", body.totalSteps());
    Double progress = body.progress();
    if (progress != null && !(progress >= 0 && progress <= 100)) {
      errors.add("progress", "must be between 0 and 100");
    }
    FreeFormJson.check(errors, "metrics", body.metrics());
    errors.throwIfAny();
  }

  static void event(EventRequest body) {
    FieldErrors errors = start(body == null ? null : body.traceId(), body);
    if (body.level() == null) {
      errors.add("level", "is required");
    } else if (!LEVELS.contains(body.level())) {
      errors.add("level", "must be one of info, warning, error");
    }
    if (body.eventType() == null || body.eventType().isBlank()) {
      errors.add("event_type", "is required");
    } else if (body.eventType().length() > MAX_EVENT_TYPE) {
      errors.add("event_type", "must be at most " + MAX_EVENT_TYPE + " characters");
    }
    if (body.message() == null) {
      errors.add("message", "is required");
    }
    FreeFormJson.checkText(errors, "event_type", body.eventType());
    FreeFormJson.checkText(errors, "message", body.message());
    FreeFormJson.check(errors, "data", body.data());
    errors.throwIfAny();
  }

  static void done(DoneRequest body) {
    FieldErrors errors = start(body == null ? null : body.traceId(), body);
    if (body.status() == null) {
      errors.add("status", "is required");
    } else if (!DONE_STATUSES.contains(body.status())) {
      errors.add("status", "must be succeeded or failed");
    }
    nonNegative(errors, "training_time_seconds", body.trainingTimeSeconds());
    FreeFormJson.checkText(errors, "error", body.error());
    FreeFormJson.checkText(errors, "mlflow_run_id", body.mlflowRunId());
    FreeFormJson.check(errors, "final_metrics", body.finalMetrics());
    FreeFormJson.check(errors, "artifacts", body.artifacts());
    errors.throwIfAny();
  }

  private static FieldErrors start(String traceId, Object body) {
    if (body == null) {
      throw new InvalidRequestException("the request body must be a JSON object");
    }
    FieldErrors errors = new FieldErrors();
    if (traceId == null || traceId.isBlank()) {
      errors.add("trace_id", "is required");
    }
    FreeFormJson.checkText(errors, "trace_id", traceId);
    return errors;
  }

  private static void nonNegative(FieldErrors errors, String field, Integer value) {
    if (value != null && value < 0) {
      errors.add(field, "must not be negative");
    }
  }
}
