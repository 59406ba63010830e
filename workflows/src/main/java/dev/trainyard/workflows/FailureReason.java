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
  WORKFLOW_CANCELLED,
  /** The trainer was killed for using more memory than its limit. */
  OOM_KILLED,
  /** The trainer's pod was evicted (node pressure, the eviction API). */
  EVICTED,
  /** The trainer's pod was preempted by a pod of higher priority. */
  PREEMPTED,
  /** The node under the trainer went away. */
  NODE_LOST,
  /** The trainer's image could not be pulled. */
  IMAGE_PULL_FAILED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The reason a {@link #wireName()} names, or null for null or a name this build lacks. */
  public static FailureReason fromWire(String name) {
    for (FailureReason reason : values()) {
      if (reason.wireName().equals(name)) {
        return reason;
      }
    }
    return null;
  }

  /**
   * Why a job failed whose trainer ended without {@code done}, from the launcher's word for how it
   * ended ({@code TrainerExit.cause()}): the causes the launchers tell apart keep their own reason,
   * a Kubernetes Job past its active deadline is {@link #DEADLINE_EXCEEDED}, anything else (an
   * exit, a kill, a failed watch) is {@link #TRAINER_EXITED}.
   */
  public static FailureReason ofTrainerExit(String cause) {
    if (cause == null) {
      return TRAINER_EXITED;
    }
    return switch (cause) {
      case "oom_killed" -> OOM_KILLED;
      case "evicted" -> EVICTED;
      case "preempted" -> PREEMPTED;
      case "node_lost" -> NODE_LOST;
      case "image_pull_failed" -> IMAGE_PULL_FAILED;
      case "deadline_exceeded" -> DEADLINE_EXCEEDED;
      default -> TRAINER_EXITED;
    };
  }
}
