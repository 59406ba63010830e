package dev.trainyard.workflows.messages;

import dev.trainyard.workflows.FailureReason;
import dev.trainyard.workflows.JobStatus;

/**
 * The workflow's whole live state, carried across continue-as-new (so its JSON shape is recorded in
 * histories: change it only as docs/workflow-versioning.md says). The query answers a {@link
 * JobStateView} of it instead, without the launcher's internals. Times are epoch milliseconds of
 * workflow time; 0 means "not yet".
 */
public class TrainingJobState {
  public JobStatus status = JobStatus.PENDING;
  public TrainerHandle trainer;
  public long launchedAtMillis;
  public long startedAtMillis;
  public long lastCallbackAtMillis;
  public long callbacksReceived;
  public Integer lastEpoch;
  public Double lastProgress;
  public CancelRequest cancel;

  /** Workflow time at which the cancel request arrived; the cancel grace counts from here. */
  public long cancelNoticedAtMillis;

  public TrainerDone done;
  public TrainerExit exit;

  /** Workflow time at which the trainer's exit was seen; a done in flight gets a short grace. */
  public long exitNoticedAtMillis;

  /** The launcher said it cannot watch this trainer; only callbacks and timers tell its fate. */
  public boolean unwatched;

  public FailureReason failureReason;
  public String message;

  /** How many times this job's workflow has continued as new. */
  public int runsCompleted;

  // Attempts (WorkflowChanges.ATTEMPTS). Absent in older histories: 0/null, read as attempt 1.
  // The fields above that describe the trainer (trainer, exit, done, unwatched) are the current
  // attempt's; launchedAtMillis and startedAtMillis stay the job's first launch and start.

  /** The current attempt (1-based); 0 before the first starts and in runs from before attempts. */
  public int attempt;

  /** The job's retry policy's number of attempts; 0 in runs from before attempts (1). */
  public int maxAttempts;

  /** Workflow time at which the first attempt started: the retry budget counts from here. */
  public long firstAttemptAtMillis;

  /** Workflow time at which the current attempt's trainer was launched. */
  public long attemptLaunchedAtMillis;

  /** Callbacks of the current attempt; its start-up deadline holds until the first. */
  public long attemptCallbacks;

  /** The checkpoint with the highest epoch any attempt reported; the next attempt resumes here. */
  public CheckpointSaved latestCheckpoint;

  /** The checkpoint the current attempt resumed from, null when it started from the beginning. */
  public CheckpointSaved resumedFrom;

  /**
   * While between attempts: workflow time at which the next attempt starts (0: not waiting). No
   * trainer runs then, and a cancel ends the job at once.
   */
  public long nextAttemptAtMillis;

  /** Why the last failed attempt failed, while the next one waits or runs (null: none failed). */
  public FailureReason lastAttemptFailure;
}
