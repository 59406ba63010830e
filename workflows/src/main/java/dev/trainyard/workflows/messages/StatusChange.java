package dev.trainyard.workflows.messages;

import dev.trainyard.workflows.FailureReason;
import dev.trainyard.workflows.JobStatus;

/**
 * One transition of a job's status, decided by the workflow and written by the job store. {@code
 * trainerLog} is set with QUEUED so the API can find the trainer's log.
 */
public record StatusChange(
    long jobId,
    JobStatus from,
    JobStatus to,
    long atMillis,
    FailureReason reason,
    String message,
    String trainerLog) {

  public static StatusChange of(long jobId, JobStatus from, JobStatus to, long atMillis) {
    return new StatusChange(jobId, from, to, atMillis, null, null, null);
  }
}
