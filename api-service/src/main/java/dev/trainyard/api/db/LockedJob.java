package dev.trainyard.api.db;

import dev.trainyard.workflows.JobStatus;
import java.time.Duration;
import java.time.Instant;

/** The fields a write decides on, read under a row lock so concurrent callbacks serialise. */
public record LockedJob(
    long id,
    String traceId,
    String status,
    Instant cancelRequestedAt,
    String doneReport,
    Instant callbackSignalledAt) {

  public boolean isTerminal() {
    return JobStatus.fromWire(status).isTerminal();
  }

  /**
   * Whether a heartbeat or event must also reach the workflow as a signal. Until the job runs,
   * every callback must (the first one moves it to running); after that the workflow reads liveness
   * from the database when its timer fires, and a signal per interval keeps its query's progress
   * fresh.
   */
  public boolean needsProgressSignal(Instant now, Duration interval) {
    return JobStatus.fromWire(status) != JobStatus.RUNNING
        || callbackSignalledAt == null
        || !callbackSignalledAt.plus(interval).isAfter(now);
  }
}
