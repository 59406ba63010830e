package dev.trainyard.api.jobs;

import dev.trainyard.api.errors.InvalidRequestException;
import dev.trainyard.workflows.messages.JobTimeouts;
import dev.trainyard.workflows.messages.RetryPolicy;
import dev.trainyard.workflows.messages.SubmittedSpec;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules of the user API's submit. Identifiers end up in file paths, S3 keys and Kubernetes
 * labels, hence the narrow character sets and the explicit ban on "..".
 */
public final class SubmitJobValidator {
  static final int MAX_HYPERPARAMETERS = 64;
  static final int MAX_CHECKPOINT_EVERY_EPOCHS = 1000;
  private static final Pattern FRAMEWORK = Pattern.compile(SubmitJobRequest.FRAMEWORK);
  private static final Pattern IDENTIFIER = Pattern.compile(SubmitJobRequest.IDENTIFIER);
  private static final String IDENTIFIER_RULE =
      "must start with a letter or digit and contain only letters, digits, '.', '_' or '-' (at most 128)";

  private SubmitJobValidator() {}

  /**
   * @param frameworks the frameworks a worker serves; a job of any other is refused
   * @param defaultMaxAttempts a job's attempts when its submit names none (the server's {@code
   *     retry.defaultMaxAttempts})
   */
  public static SubmittedSpec validate(
      SubmitJobRequest request, RegisteredFrameworks frameworks, int defaultMaxAttempts) {
    if (request == null) {
      throw new InvalidRequestException("the request body must be a JSON object");
    }
    FieldErrors errors = new FieldErrors();
    errors.text("framework", request.framework(), FRAMEWORK, "must match [a-z0-9_-]{1,32}", true);
    frameworks.check(errors, "framework", request.framework());
    // The trainer's own check (trainer-ultralytics config.py); tests/model_names.json is shared.
    identifier(errors, "model_name", request.modelName());
    identifier(errors, "dataset_id", request.datasetId());
    identifier(errors, "project_id", request.projectId());
    errors.range("epochs", request.epochs(), 1, 10_000, true);
    errors.range("batch_size", request.batchSize(), 1, 4096, true);
    Double rate = request.learningRate();
    if (rate == null) {
      errors.add("learning_rate", "is required");
    } else if (!(rate > 0)) {
      errors.add("learning_rate", "must be greater than 0");
    } else if (!(rate <= 10)) {
      errors.add("learning_rate", "must be at most 10");
    }
    Map<String, Object> hyper =
        request.hyperparameters() == null ? Map.of() : request.hyperparameters();
    if (hyper.size() > MAX_HYPERPARAMETERS) {
      errors.add("hyperparameters", "must have at most " + MAX_HYPERPARAMETERS + " keys");
    } else {
      FreeFormJson.check(errors, "hyperparameters", hyper);
    }
    // the maxima bound the callback token's lifetime, which the API checks on every token
    errors.range(
        "heartbeat_timeout_seconds",
        request.heartbeatTimeoutSeconds(),
        1,
        JobTimeouts.MAX_HEARTBEAT_TIMEOUT,
        false);
    errors.range(
        "startup_timeout_seconds",
        request.startupTimeoutSeconds(),
        1,
        JobTimeouts.MAX_STARTUP_TIMEOUT,
        false);
    errors.range(
        "max_runtime_seconds", request.maxRuntimeSeconds(), 1, JobTimeouts.MAX_MAX_RUNTIME, false);
    errors.range(
        "cancel_grace_seconds",
        request.cancelGraceSeconds(),
        0,
        JobTimeouts.MAX_CANCEL_GRACE,
        false);
    errors.range(
        "checkpoint_every_epochs",
        request.checkpointEveryEpochs(),
        1,
        MAX_CHECKPOINT_EVERY_EPOCHS,
        false);
    RetryPolicy retry = RetryRules.policy(errors, request.retry(), defaultMaxAttempts);
    errors.throwIfAny();
    return new SubmittedSpec(
        request.framework(),
        request.modelName(),
        request.datasetId(),
        request.epochs(),
        request.batchSize(),
        rate,
        request.projectId(),
        hyper,
        new JobTimeouts(
            orDefault(request.heartbeatTimeoutSeconds(), JobTimeouts.DEFAULT_HEARTBEAT_TIMEOUT),
            orDefault(request.startupTimeoutSeconds(), JobTimeouts.DEFAULT_STARTUP_TIMEOUT),
            orDefault(request.maxRuntimeSeconds(), JobTimeouts.DEFAULT_MAX_RUNTIME),
            orDefault(request.cancelGraceSeconds(), JobTimeouts.DEFAULT_CANCEL_GRACE)),
        retry,
        request.checkpointEveryEpochs() == null ? 1 : request.checkpointEveryEpochs());
  }

  private static void identifier(FieldErrors errors, String field, String value) {
    errors.text(field, value, IDENTIFIER, IDENTIFIER_RULE, true);
    if (value != null && value.contains("..")) {
      errors.add(field, "must not contain '..'");
    }
  }

  private static long orDefault(Long value, long fallback) {
    return value == null ? fallback : value;
  }
}
