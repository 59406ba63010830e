package dev.trainyard.workflows.messages;

import dev.trainyard.workflows.FailureReason;
import dev.trainyard.workflows.JobDeadlines;
import dev.trainyard.workflows.JobStatus;

/**
 * What the workflow's {@code state} query answers: the job's live state without the launcher's
 * internals. Anyone who can query Temporal may read it, so it names the trainer's runtime but not
 * its pid, Kubernetes Job name or log path ({@link TrainerHandle}), nor the last lines of its
 * output ({@link TrainerExit#logTail()}). The Job name is left out too although it is no secret
 * ({@code trainyard-job-{id}}): it is derived from the job id, and one shape for every runtime
 * keeps callers from reading a pid where they expect a name. Built fresh per query from {@link
 * TrainingJobState}, whose own shape is recorded in histories and stays as it is. Times are epoch
 * milliseconds of workflow time; 0 means "not yet". {@code nextDeadline} (a {@link
 * JobDeadlines.Kind} wire name, or null) and {@code nextDeadlineAtMillis} are the earliest deadline
 * the job faces by the workflow's own state ({@link JobDeadlines#next}); its heartbeat deadline may
 * have moved since, with callbacks the API recorded but did not signal. {@code attempt} is the
 * current attempt of {@code maxAttempts} (1 of 1 for a job without retries), {@code
 * nextAttemptAtMillis} when the next starts while the job waits between attempts (0 otherwise), and
 * {@code latestCheckpoint…} the checkpoint the next attempt would resume from.
 */
public record JobStateView(
    JobStatus status,
    FailureReason failureReason,
    String message,
    String trainerRuntime,
    long launchedAtMillis,
    long startedAtMillis,
    long lastCallbackAtMillis,
    long callbacksReceived,
    Integer lastEpoch,
    Double lastProgress,
    long cancelNoticedAtMillis,
    boolean doneReported,
    Integer trainerExitCode,
    String trainerExitCause,
    boolean unwatched,
    int runsCompleted,
    long exitNoticedAtMillis,
    String nextDeadline,
    long nextDeadlineAtMillis,
    int attempt,
    int maxAttempts,
    long nextAttemptAtMillis,
    String latestCheckpointUri,
    Integer latestCheckpointEpoch) {

  /** The view without a deadline (a stand-in workflow's, or one that faces none). */
  public static JobStateView of(TrainingJobState state) {
    return of(state, null);
  }

  public static JobStateView of(TrainingJobState state, JobDeadlines.Deadline next) {
    return new JobStateView(
        state.status,
        state.failureReason,
        state.message,
        state.trainer == null ? null : state.trainer.runtime(),
        state.launchedAtMillis,
        state.startedAtMillis,
        state.lastCallbackAtMillis,
        state.callbacksReceived,
        state.lastEpoch,
        state.lastProgress,
        state.cancelNoticedAtMillis,
        state.done != null,
        state.exit == null ? null : state.exit.exitCode(),
        state.exit == null ? null : state.exit.cause(),
        state.unwatched,
        state.runsCompleted,
        state.exitNoticedAtMillis,
        next == null ? null : next.kind().wireName(),
        next == null ? 0 : next.atMillis(),
        Math.max(1, state.attempt),
        Math.max(1, state.maxAttempts),
        state.nextAttemptAtMillis,
        state.latestCheckpoint == null ? null : state.latestCheckpoint.uri(),
        state.latestCheckpoint == null ? null : state.latestCheckpoint.epoch());
  }
}
