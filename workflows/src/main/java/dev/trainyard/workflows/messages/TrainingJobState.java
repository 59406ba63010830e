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
}
