package dev.trainyard.store.jobs;

import dev.trainyard.workflows.messages.SubmittedSpec;
import java.time.Instant;

/**
 * One training_jobs row as the user API shows it: the submitted spec as it was stored, then what
 * the trainer reported and how the job ended. JSONB columns outside the spec arrive as JSON text.
 * {@code attempt} is the job's current attempt (1 until a retry starts another).
 */
public record JobRecord(
    long id,
    String traceId,
    String idempotencyKey,
    String workflowId,
    String status,
    SubmittedSpec spec,
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
    String submittedBy,
    String cancelRequestedBy,
    Instant createdAt,
    Instant queuedAt,
    Instant startedAt,
    Instant completedAt,
    int attempt) {}
