package dev.trainyard.store.jobs;

import dev.trainyard.workflows.JobStatus;
import java.time.Instant;

/**
 * The fields a write decides on, read under a row lock so concurrent callbacks serialise. {@code
 * attempt} is the job's current attempt: a callback from another one is refused.
 */
public record LockedJob(
    long id,
    String traceId,
    String projectId,
    String status,
    Instant cancelRequestedAt,
    String doneReport,
    int attempt) {

  public boolean isTerminal() {
    return JobStatus.fromWire(status).isTerminal();
  }
}
