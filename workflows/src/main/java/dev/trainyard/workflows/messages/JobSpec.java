package dev.trainyard.workflows.messages;

import java.util.Map;

/** What the user submitted, fixed for the life of the job. */
public record JobSpec(
    long jobId,
    String traceId,
    String framework,
    String modelName,
    String datasetId,
    int epochs,
    int batchSize,
    double learningRate,
    String projectId,
    Map<String, Object> hyperparameters,
    JobTimeouts timeouts) {}
