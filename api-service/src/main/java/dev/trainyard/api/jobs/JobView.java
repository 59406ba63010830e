package dev.trainyard.api.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.api.explain.FailureReasons;
import dev.trainyard.store.JsonText;
import dev.trainyard.store.jobs.AttemptRecord;
import dev.trainyard.store.jobs.JobRecord;
import dev.trainyard.workflows.messages.JobTimeouts;
import dev.trainyard.workflows.messages.SubmittedSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A job as the user API shows it. Deliberately built field by field: no token can slip in. */
@JsonPropertyOrder(alphabetic = false)
public record JobView(
    @JsonProperty("job_id") long jobId,
    @JsonProperty("trace_id") String traceId,
    @JsonProperty("workflow_id") String workflowId,
    @JsonProperty("status") String status,
    @JsonProperty("framework") String framework,
    @JsonProperty("model_name") String modelName,
    @JsonProperty("dataset_id") String datasetId,
    @JsonProperty("epochs") int epochs,
    @JsonProperty("batch_size") int batchSize,
    @JsonProperty("learning_rate") double learningRate,
    @JsonProperty("project_id") String projectId,
    @JsonProperty("hyperparameters") Map<String, Object> hyperparameters,
    @JsonProperty("heartbeat_timeout_seconds") long heartbeatTimeoutSeconds,
    @JsonProperty("startup_timeout_seconds") long startupTimeoutSeconds,
    @JsonProperty("max_runtime_seconds") long maxRuntimeSeconds,
    @JsonProperty("cancel_grace_seconds") long cancelGraceSeconds,
    @JsonProperty("current_epoch") int currentEpoch,
    @JsonProperty("progress") double progress,
    @JsonProperty("last_heartbeat_at") String lastHeartbeatAt,
    @JsonProperty("training_time_seconds") Integer trainingTimeSeconds,
    @JsonProperty("artifacts") JsonNode artifacts,
    @JsonProperty("final_metrics") JsonNode finalMetrics,
    @JsonProperty("error_message") String errorMessage,
    @JsonProperty("failure_reason") String failureReason,
    @JsonProperty("failure_explanation") String failureExplanation,
    @JsonProperty("mlflow_run_id") String mlflowRunId,
    @JsonProperty("cancel_requested_at") String cancelRequestedAt,
    @JsonProperty("submitted_by") String submittedBy,
    @JsonProperty("cancel_requested_by") String cancelRequestedBy,
    @JsonProperty("created_at") String createdAt,
    @JsonProperty("queued_at") String queuedAt,
    @JsonProperty("started_at") String startedAt,
    @JsonProperty("completed_at") String completedAt,
    @Schema(description = "The job's current attempt: 1, then 2 once a retry started another")
        @JsonProperty("attempt")
        int attempt,
    @Schema(
            description =
                "The attempts the job's retry policy allows, the first included (only on GET"
                    + " /v1/jobs/{id})")
        @JsonProperty("max_attempts")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        Integer maxAttempts,
    @Schema(description = "The job's attempts, oldest first (only on GET /v1/jobs/{id})")
        @JsonProperty("attempts")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        List<AttemptView> attempts) {

  /** The job as lists and streams show it: with its current attempt, without the attempt list. */
  public static JobView of(JobRecord job, JsonText json) {
    return of(job, json, null);
  }

  /**
   * The job with its attempts ({@code null}: the list's shape, without {@code max_attempts} and
   * {@code attempts}).
   */
  public static JobView of(JobRecord job, JsonText json, List<AttemptRecord> attempts) {
    SubmittedSpec spec = job.spec();
    JobTimeouts timeouts = spec.timeouts();
    return new JobView(
        job.id(),
        job.traceId(),
        job.workflowId(),
        job.status(),
        spec.framework(),
        spec.modelName(),
        spec.datasetId(),
        spec.epochs(),
        spec.batchSize(),
        spec.learningRate(),
        spec.projectId(),
        spec.hyperparameters(),
        timeouts.heartbeatTimeoutSeconds(),
        timeouts.startupTimeoutSeconds(),
        timeouts.maxRuntimeSeconds(),
        timeouts.cancelGraceSeconds(),
        job.currentEpoch(),
        job.progress(),
        iso(job.lastHeartbeatAt()),
        job.trainingTimeSeconds(),
        json.read(job.artifacts()),
        json.read(job.finalMetrics()),
        job.errorMessage(),
        job.failureReason(),
        FailureReasons.explain(job.failureReason(), job.errorMessage(), timeouts),
        job.mlflowRunId(),
        iso(job.cancelRequestedAt()),
        job.submittedBy(),
        job.cancelRequestedBy(),
        iso(job.createdAt()),
        iso(job.queuedAt()),
        iso(job.startedAt()),
        iso(job.completedAt()),
        job.attempt(),
        attempts == null ? null : spec.retryPolicy().maxAttempts(),
        attempts == null ? null : attempts.stream().map(a -> AttemptView.of(a, timeouts)).toList());
  }

  /** ISO-8601 UTC, e.g. 2025-01-31T12:00:00.123456Z. */
  public static String iso(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
