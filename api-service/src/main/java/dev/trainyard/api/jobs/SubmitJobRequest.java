package dev.trainyard.api.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** The body of {@code POST /v1/jobs}, as sent; {@link SubmitJobValidator} checks it. */
public record SubmitJobRequest(
    @JsonProperty("framework") String framework,
    @JsonProperty("model_name") String modelName,
    @JsonProperty("dataset_id") String datasetId,
    @JsonProperty("epochs") Integer epochs,
    @JsonProperty("batch_size") Integer batchSize,
    @JsonProperty("learning_rate") Double learningRate,
    @JsonProperty("project_id") String projectId,
    @JsonProperty("hyperparameters") Map<String, Object> hyperparameters,
    @JsonProperty("heartbeat_timeout_seconds") Long heartbeatTimeoutSeconds,
    @JsonProperty("startup_timeout_seconds") Long startupTimeoutSeconds,
    @JsonProperty("max_runtime_seconds") Long maxRuntimeSeconds,
    @JsonProperty("cancel_grace_seconds") Long cancelGraceSeconds) {}
