package dev.trainyard.store.jobs;

/** The row the API inserts on submit; {@code hyperparameters} is JSON text. */
public record NewJob(
    long id,
    String traceId,
    String idempotencyKey,
    String workflowId,
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
    long cancelGraceSeconds) {}
