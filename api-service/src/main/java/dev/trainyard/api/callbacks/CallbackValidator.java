package dev.trainyard.api.callbacks;

import dev.trainyard.api.errors.InvalidRequestException;
import dev.trainyard.api.jobs.FieldErrors;
import java.util.Set;

/** The callback bodies' rules, checked before anything is read or written. */
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
    if (FieldErrors.containsNul(body.metrics())) {
      errors.add("metrics", "must not contain NUL characters");
    }
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
    checkText(errors, "event_type", body.eventType());
    checkText(errors, "message", body.message());
    if (FieldErrors.containsNul(body.data())) {
      errors.add("data", "must not contain NUL characters");
    }
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
    checkText(errors, "error", body.error());
    checkText(errors, "mlflow_run_id", body.mlflowRunId());
    if (FieldErrors.containsNul(body.finalMetrics())) {
      errors.add("final_metrics", "must not contain NUL characters");
    }
    if (FieldErrors.containsNul(body.artifacts())) {
      errors.add("artifacts", "must not contain NUL characters");
    }
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
    checkText(errors, "trace_id", traceId);
    return errors;
  }

  private static void checkText(FieldErrors errors, String field, String value) {
    if (FieldErrors.containsNul(value)) {
      errors.add(field, "must not contain NUL characters");
    }
  }

  private static void nonNegative(FieldErrors errors, String field, Integer value) {
    if (value != null && value < 0) {
      errors.add(field, "must not be negative");
    }
  }
}
