package dev.trainyard.workflows.messages;

import dev.trainyard.workflows.FailureReason;
import dev.trainyard.workflows.JobStatus;

/** The workflow's result: the job's one terminal state. */
public record JobOutcome(long jobId, JobStatus status, FailureReason reason, String message) {}
