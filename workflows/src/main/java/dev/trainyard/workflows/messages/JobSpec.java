package dev.trainyard.workflows.messages;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * A submitted spec with the identity the API gave the job: what the workflow and its launcher work
 * from. Its JSON keeps the submitted fields beside {@code jobId} and {@code traceId} ({@code
 * JsonUnwrapped}), as when this record held every field itself, so the histories of running
 * workflows still decode.
 */
public record JobSpec(long jobId, String traceId, @JsonUnwrapped SubmittedSpec submitted) {}
