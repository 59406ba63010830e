package dev.trainyard.api.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.trainyard.workflows.messages.JobTimeouts;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/** The body of {@code POST /v1/jobs}, as sent; {@link SubmitJobValidator} checks it. */
public record SubmitJobRequest(
    @JsonProperty("framework")
        @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            pattern = SubmitJobRequest.FRAMEWORK,
            description = "A framework a worker serves",
            example = "ultralytics")
        String framework,
    @JsonProperty("model_name")
        @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            pattern = SubmitJobRequest.IDENTIFIER,
            example = "yolov8n.pt")
        String modelName,
    @JsonProperty("dataset_id")
        @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            pattern = SubmitJobRequest.IDENTIFIER,
            description = "A dataset of the project",
            example = "coco128")
        String datasetId,
    @JsonProperty("epochs")
        @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            minimum = "1",
            maximum = "10000",
            example = "10")
        Integer epochs,
    @JsonProperty("batch_size")
        @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            minimum = "1",
            maximum = "4096",
            example = "16")
        Integer batchSize,
    @JsonProperty("learning_rate")
        @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            minimum = "0",
            exclusiveMinimum = true,
            maximum = "10",
            example = "0.01")
        Double learningRate,
    @JsonProperty("project_id")
        @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            pattern = SubmitJobRequest.IDENTIFIER,
            example = "demo")
        String projectId,
    @JsonProperty("hyperparameters")
        @Schema(
            maxProperties = 64,
            description = "Passed to the trainer as they are (16 KiB at most)")
        Map<String, Object> hyperparameters,
    @JsonProperty("heartbeat_timeout_seconds")
        @Schema(minimum = "1", maximum = "" + JobTimeouts.MAX_HEARTBEAT_TIMEOUT)
        Long heartbeatTimeoutSeconds,
    @JsonProperty("startup_timeout_seconds")
        @Schema(minimum = "1", maximum = "" + JobTimeouts.MAX_STARTUP_TIMEOUT)
        Long startupTimeoutSeconds,
    @JsonProperty("max_runtime_seconds")
        @Schema(minimum = "1", maximum = "" + JobTimeouts.MAX_MAX_RUNTIME)
        Long maxRuntimeSeconds,
    @JsonProperty("cancel_grace_seconds")
        @Schema(minimum = "0", maximum = "" + JobTimeouts.MAX_CANCEL_GRACE)
        Long cancelGraceSeconds,
    @JsonProperty("checkpoint_every_epochs")
        @Schema(
            minimum = "1",
            maximum = "1000",
            description =
                "The trainer saves a checkpoint every this many epochs, which a retried attempt"
                    + " resumes from (default 1)")
        Integer checkpointEveryEpochs,
    @JsonProperty("retry") RetryRequest retry) {
  // The rules SubmitJobValidator applies, here so that the OpenAPI schema states them too.
  static final String FRAMEWORK = "^[a-z0-9_-]{1,32}$";

  /** Also never "..", which a pattern cannot say simply. */
  static final String IDENTIFIER = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$";
}
