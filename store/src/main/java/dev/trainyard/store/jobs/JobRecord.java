package dev.trainyard.store.jobs;

import java.time.Instant;

/** One training_jobs row as the user API shows it; JSONB columns arrive as JSON text. */
public record JobRecord(
    long id,
    String traceId,
    String idempotencyKey,
    String workflowId,
    String status,
    String framework,
    String modelName,
    String datasetId,
    int epochs,
    int batchSize,
    double learningRate,
    String projectId,
    String hyperparameters,
    long heartbeatTimeoutSeconds,
    long startupTimeoutSeconds,
    long maxRuntimeSeconds,
    long cancelGraceSeconds,
    int currentEpoch,
    double progress,
    Instant lastHeartbeatAt,
    Integer trainingTimeSeconds,
    String artifacts,
    String finalMetrics,
    String errorMessage,
    String failureReason,
    String mlflowRunId,
    Instant cancelRequestedAt,
    Instant createdAt,
    Instant queuedAt,
    Instant startedAt,
    Instant completedAt) {}
