package dev.trainyard.api.jobs;

import dev.trainyard.workflows.messages.JobTimeouts;
import java.util.Map;

/** A validated submission with defaults applied: what a job is made of, before it has an id. */
public record JobDraft(
    String framework,
    String modelName,
    String datasetId,
    int epochs,
    int batchSize,
    double learningRate,
    String projectId,
    Map<String, Object> hyperparameters,
    JobTimeouts timeouts) {}
