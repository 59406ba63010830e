package dev.trainyard.api.explain;

import dev.trainyard.workflows.FailureReason;
import dev.trainyard.workflows.messages.JobTimeouts;

/**
 * How a job ended, in words a user can act on: the one owner of these words. The API serves them as
 * a job's {@code failure_explanation} (the dashboard shows that) and in {@code explain}. Each
 * reason the workflow records ({@link FailureReason}) has its sentence; the job's own message (the
 * trainer's error, or what the workflow saw) follows it.
 */
public final class FailureReasons {
  private FailureReasons() {}

  /**
   * The words for {@code reason} (a wire name; null when the job recorded none) followed by {@code
   * message}; null when there is neither.
   */
  public static String explain(String reason, String message, JobTimeouts timeouts) {
    String said =
        message == null || message.isBlank() ? "" : " The message was: “" + message + "”.";
    if (reason == null) {
      return said.isEmpty() ? null : said.strip();
    }
    String words = words(reason, timeouts);
    return (words == null ? reason + "." : words) + said;
  }

  /** The sentence for one reason, or null for a reason this build does not know. */
  static String words(String reason, JobTimeouts t) {
    FailureReason known = known(reason);
    if (known == null) {
      return null;
    }
    return switch (known) {
      case STARTUP_TIMEOUT ->
          "The trainer never called back within the startup timeout ("
              + DurationText.of(t.startupTimeoutSeconds())
              + "). Check that it starts and can reach the API at its BACKEND_BASE_URL.";
      case HEARTBEAT_TIMEOUT ->
          "The trainer stopped sending heartbeats for longer than the heartbeat timeout ("
              + DurationText.of(t.heartbeatTimeoutSeconds())
              + "): it hung, lost its network, or its machine went away. Its log may say more.";
      case TRAINER_EXITED ->
          "The trainer process ended without reporting a result (it crashed or was killed)."
              + " Its log shows its last words.";
      case TRAINER_REPORTED_FAILURE -> "The trainer reported that training failed.";
      case LAUNCH_FAILED ->
          "The trainer could not be started: the worker's launcher refused or failed every"
              + " attempt.";
      case DEADLINE_EXCEEDED ->
          "The job ran longer than its maximum runtime ("
              + DurationText.of(t.maxRuntimeSeconds())
              + ") and was stopped.";
      case CANCELLED_BY_USER -> "Cancelled on request and stopped cleanly, without force.";
      case CANCEL_FORCED ->
          "Cancelled on request; the trainer did not stop within the cancel grace ("
              + DurationText.of(t.cancelGraceSeconds())
              + ") and was stopped by force.";
      case WORKFLOW_CANCELLED ->
          "The job's workflow was cancelled or terminated in Temporal, outside Trainyard.";
      case OOM_KILLED ->
          "The trainer ran out of memory and was killed (OOM). Use a smaller batch size or"
              + " model, or give the trainer more memory.";
      case EVICTED ->
          "The trainer's pod was evicted from its node (the node ran short of memory or disk,"
              + " or was drained).";
      case PREEMPTED ->
          "The trainer's pod was preempted: the scheduler stopped it to make room for a pod of"
              + " higher priority.";
      case NODE_LOST ->
          "The node the trainer ran on went away (it stopped responding or was removed), and"
              + " the trainer with it.";
      case IMAGE_PULL_FAILED ->
          "The trainer's container image could not be pulled: check the image name, its tag"
              + " and the registry's credentials.";
    };
  }

  private static FailureReason known(String reason) {
    for (FailureReason candidate : FailureReason.values()) {
      if (candidate.wireName().equals(reason)) {
        return candidate;
      }
    }
    return null;
  }
}
