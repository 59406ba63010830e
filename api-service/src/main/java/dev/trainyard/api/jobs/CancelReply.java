package dev.trainyard.api.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Reply to a cancel: the job's current status (the workflow changes it) and when cancel was asked.
 */
public record CancelReply(
    @JsonProperty("job_id") long jobId,
    @JsonProperty("status") String status,
    @JsonProperty("cancel_requested_at") String cancelRequestedAt) {}
