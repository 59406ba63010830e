package dev.trainyard.workflows;

import java.util.Locale;

/**
 * Machine-readable reason why a job ended other than succeeded. Stored in {@code failure_reason};
 * cancellations record how they ended too, so an operator can tell a clean stop from a forced one.
 */
public enum FailureReason {
  /** The trainer never called back within the startup timeout. */
  STARTUP_TIMEOUT,
  /** The trainer went silent for longer than the heartbeat timeout. */
  HEARTBEAT_TIMEOUT,
  /** The trainer process or pod ended without sending {@code done}. */
  TRAINER_EXITED,
  /** The trainer sent {@code done} with status failed. */
  TRAINER_REPORTED_FAILURE,
  /** The trainer could not be started at all. */
  LAUNCH_FAILED,
  /** The job ran past its max runtime. */
  DEADLINE_EXCEEDED,
  /** Cancelled; the trainer acknowledged with {@code done}. */
  CANCELLED_BY_USER,
  /** Cancelled; the trainer did not finish within the grace period and was stopped by force. */
  CANCEL_FORCED,
  /** The workflow itself was cancelled or terminated through Temporal. */
  WORKFLOW_CANCELLED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
