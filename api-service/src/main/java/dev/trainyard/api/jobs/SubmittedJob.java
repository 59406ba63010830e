package dev.trainyard.api.jobs;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Reply to a submit; {@code created} is false when an idempotent retry found the existing job. */
public record SubmittedJob(
    @JsonProperty("job_id") long jobId,
    @JsonProperty("trace_id") String traceId,
    @JsonProperty("status") String status,
    @JsonProperty("workflow_id") String workflowId,
    @JsonIgnore boolean created) {}
