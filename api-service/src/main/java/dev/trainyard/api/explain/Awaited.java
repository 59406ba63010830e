package dev.trainyard.api.explain;

import dev.trainyard.api.explain.Explanation.WaitingFor;
import dev.trainyard.api.jobs.JobView;
import dev.trainyard.api.temporal.WorkflowSnapshot;
import dev.trainyard.store.jobs.JobRecord;
import dev.trainyard.workflows.FailureReason;
import dev.trainyard.workflows.JobDeadlines;
import dev.trainyard.workflows.JobDeadlines.Deadline;
import dev.trainyard.workflows.JobStatus;
import dev.trainyard.workflows.messages.CancelRequest;
import dev.trainyard.workflows.messages.JobStateView;
import dev.trainyard.workflows.messages.JobTimeouts;
import dev.trainyard.workflows.messages.TrainerExit;
import dev.trainyard.workflows.messages.TrainingJobState;
import java.time.Instant;

/**
 * What a job waits for now. A launched job waits for its earliest deadline, asked of the rule the
 * workflow itself follows ({@link JobDeadlines}), on the workflow's own state from its query, or on
 * the job's row when Temporal cannot be asked. Either way the heartbeat deadline counts from the
 * trainer's last callback as the database has it: the API signals only some heartbeats, and the
 * workflow reads the same column before it fails a trainer as silent.
 */
final class Awaited {
  private Awaited() {}

  /** Kind {@code nothing} once the job has ended and its workflow closed (or cannot be asked). */
  static WaitingFor of(
      JobRecord job, long lastCallbackAtMillis, WorkflowSnapshot workflow, Instant now) {
    JobStatus status = JobStatus.fromWire(job.status());
    if (status.isTerminal()) {
      return workflow.open() ? stopping(workflow) : nothing(workflow);
    }
    if (workflow.reachable() && !workflow.open()) {
      return orphaned(job, workflow);
    }
    if (status == JobStatus.PENDING && (workflow.state() == null || isPending(workflow))) {
      return launching(workflow);
    }
    if (workflow.state() != null && workflow.state().nextAttemptAtMillis() > 0) {
      return retrying(job, workflow.state(), now);
    }
    boolean fromWorkflow = workflow.state() != null;
    TrainingJobState state =
        fromWorkflow ? fromView(workflow.state()) : fromRow(job, status, lastCallbackAtMillis);
    state.lastCallbackAtMillis = Math.max(state.lastCallbackAtMillis, lastCallbackAtMillis);
    JobTimeouts timeouts = job.spec().timeouts();
    Deadline deadline = JobDeadlines.next(state, timeouts);
    if (deadline == null) {
      return launching(workflow);
    }
    double secondsLeft = (deadline.atMillis() - now.toEpochMilli()) / 1000.0;
    String text = words(deadline.kind(), state, timeouts, now);
    if (secondsLeft < 0) {
      text +=
          "; the deadline passed "
              + DurationText.of(-secondsLeft)
              + " ago and the workflow acts on it when it next runs (is a worker running?)";
    }
    return new WaitingFor(
        deadline.kind().wireName(),
        text,
        JobView.iso(Instant.ofEpochMilli(deadline.atMillis())),
        secondsLeft,
        then(deadline.kind(), state),
        fromWorkflow ? "workflow" : "database");
  }

  /** Between attempts: the workflow waits out the retry's backoff, then launches the next one. */
  private static WaitingFor retrying(JobRecord job, JobStateView state, Instant now) {
    Instant at = Instant.ofEpochMilli(state.nextAttemptAtMillis());
    return new WaitingFor(
        "retry",
        AttemptWords.retrying(job, state, job.spec().retryPolicy().maxAttempts(), now)
            + ", resuming from "
            + (state.latestCheckpointEpoch() == null
                ? "the start (no checkpoint was saved)"
                : "the checkpoint of epoch " + state.latestCheckpointEpoch()),
        JobView.iso(at),
        (at.toEpochMilli() - now.toEpochMilli()) / 1000.0,
        null,
        "workflow");
  }

  private static boolean isPending(WorkflowSnapshot workflow) {
    return workflow.state().status() == JobStatus.PENDING;
  }

  private static String words(
      JobDeadlines.Kind kind, TrainingJobState state, JobTimeouts timeouts, Instant now) {
    return switch (kind) {
      case STARTUP ->
          "the trainer's first callback (it was launched "
              + ago(state.launchedAtMillis, now)
              + "); without one by the deadline the job fails";
      case HEARTBEAT ->
          "the trainer's next callback (the last came "
              + ago(state.lastCallbackAtMillis, now)
              + "); silence for "
              + DurationText.of(timeouts.heartbeatTimeoutSeconds())
              + " fails the job";
      case RUNTIME ->
          "the trainer to finish within the job's max runtime of "
              + DurationText.of(timeouts.maxRuntimeSeconds())
              + "; at the deadline the job fails";
      case CANCEL_GRACE ->
          "the trainer to stop after the cancel request (its next heartbeat is told to stop);"
              + " at the end of the "
              + DurationText.of(timeouts.cancelGraceSeconds())
              + " cancel grace it is stopped by force";
      case EXIT_GRACE ->
          "a done the trainer may have sent as it exited ("
              + state.exit.cause()
              + (state.exit.exitCode() == null ? "" : ", exit code " + state.exit.exitCode())
              + "); at the deadline the job ends without it";
      case NEXT_ATTEMPT -> "the end of the retry's backoff; then the next attempt is launched";
    };
  }

  private static String then(JobDeadlines.Kind kind, TrainingJobState state) {
    if (kind == JobDeadlines.Kind.NEXT_ATTEMPT) {
      return null; // a launch follows, not a failure
    }
    FailureReason reason =
        switch (kind) {
          case STARTUP -> FailureReason.STARTUP_TIMEOUT;
          case HEARTBEAT -> FailureReason.HEARTBEAT_TIMEOUT;
          case RUNTIME -> FailureReason.DEADLINE_EXCEEDED;
          case CANCEL_GRACE -> FailureReason.CANCEL_FORCED;
          case EXIT_GRACE ->
              state.cancel != null ? FailureReason.CANCELLED_BY_USER : FailureReason.TRAINER_EXITED;
          case NEXT_ATTEMPT -> throw new IllegalStateException("handled above");
        };
    return reason.wireName();
  }

  /** Not launched yet: the launch activity and its retries, or the workflow task before it. */
  private static WaitingFor launching(WorkflowSnapshot workflow) {
    WorkflowSnapshot.Activity launch = activity(workflow, "Launch");
    if (launch != null) {
      StringBuilder text =
          new StringBuilder("the worker to launch the trainer (attempt ").append(launch.attempt());
      if (launch.maximumAttempts() > 0) {
        text.append(" of ").append(launch.maximumAttempts());
      }
      text.append(')');
      if (launch.lastFailure() != null) {
        text.append("; the last attempt failed: ").append(launch.lastFailure());
      }
      return new WaitingFor(
          "launch",
          text.toString(),
          null,
          null,
          FailureReason.LAUNCH_FAILED.wireName(),
          "workflow");
    }
    if (workflow.reachable() && workflow.workflowTaskScheduledAt() != null) {
      return new WaitingFor(
          "workflow_task",
          "a worker to run the job's workflow (its task waits since "
              + workflow.workflowTaskScheduledAt()
              + "; is a worker polling the training-jobs task queue?)",
          null,
          null,
          null,
          "workflow");
    }
    return new WaitingFor(
        "launch",
        workflow.reachable()
            ? "the worker to launch the trainer"
            : "the worker to launch the trainer (Temporal could not be asked how far it got)",
        null,
        null,
        FailureReason.LAUNCH_FAILED.wireName(),
        workflow.reachable() ? "workflow" : "database");
  }

  private static WaitingFor nothing(WorkflowSnapshot workflow) {
    return workflow.reachable()
        ? new WaitingFor(
            "nothing",
            "the job has ended and its workflow has closed",
            null,
            null,
            null,
            "workflow")
        : new WaitingFor(
            "nothing",
            "the job has ended (Temporal could not be asked whether its workflow has closed)",
            null,
            null,
            null,
            "database");
  }

  /**
   * The record says the job lives, but its workflow has closed or is gone: nothing will move it any
   * more (a workflow terminated in Temporal records nothing; one past the namespace's retention is
   * deleted).
   */
  private static WaitingFor orphaned(JobRecord job, WorkflowSnapshot workflow) {
    String closed =
        workflow.status() == null
            ? "Temporal has no workflow for it"
            : "its workflow has ended (" + workflow.status() + ")";
    return new WaitingFor(
        "nothing",
        "the job's record says "
            + job.status()
            + " but "
            + closed
            + ", so no deadline will be acted on and the record will not change (terminated in"
            + " Temporal, outside Trainyard?)",
        null,
        null,
        null,
        "workflow");
  }

  /** Ended, but the workflow still runs: it is stopping the trainer, or about to close. */
  private static WaitingFor stopping(WorkflowSnapshot workflow) {
    WorkflowSnapshot.Activity stop = activity(workflow, "Stop");
    String text =
        stop == null
            ? "the workflow to close: the job has ended and the trainer is being stopped"
            : "the worker to stop the trainer (attempt "
                + stop.attempt()
                + (stop.lastFailure() == null ? "" : "; the last failed: " + stop.lastFailure())
                + "); the job has ended and keeps its status";
    return new WaitingFor("stop", text, null, null, null, "workflow");
  }

  private static WorkflowSnapshot.Activity activity(WorkflowSnapshot workflow, String type) {
    return workflow.pendingActivities().stream()
        .filter(a -> a.activityType().equals(type))
        .findFirst()
        .orElse(null);
  }

  /** The workflow's own state, as the rule needs it. */
  private static TrainingJobState fromView(JobStateView view) {
    TrainingJobState state = new TrainingJobState();
    state.status = view.status();
    state.launchedAtMillis = view.launchedAtMillis();
    state.startedAtMillis = view.startedAtMillis();
    state.lastCallbackAtMillis = view.lastCallbackAtMillis();
    state.nextAttemptAtMillis = view.nextAttemptAtMillis();
    if (view.cancelNoticedAtMillis() > 0) {
      state.cancel = new CancelRequest(null, view.cancelNoticedAtMillis());
      state.cancelNoticedAtMillis = view.cancelNoticedAtMillis();
    }
    if (view.trainerExitCause() != null) {
      state.exit =
          new TrainerExit(
              view.trainerExitCode(), view.trainerExitCause(), null, view.exitNoticedAtMillis());
      state.exitNoticedAtMillis = view.exitNoticedAtMillis();
    }
    return state;
  }

  /**
   * The row's view of the same: it knows when the trainer was launched (queued), started, last
   * called back and was asked to cancel, not whether it has exited.
   */
  private static TrainingJobState fromRow(JobRecord job, JobStatus status, long lastCallback) {
    TrainingJobState state = new TrainingJobState();
    state.status = status;
    state.launchedAtMillis = millis(job.queuedAt());
    state.startedAtMillis = millis(job.startedAt());
    state.lastCallbackAtMillis = lastCallback;
    if (job.cancelRequestedAt() != null) {
      state.cancel = new CancelRequest(null, millis(job.cancelRequestedAt()));
      state.cancelNoticedAtMillis = millis(job.cancelRequestedAt());
    }
    return state;
  }

  private static long millis(Instant instant) {
    return instant == null ? 0 : instant.toEpochMilli();
  }

  private static String ago(long millis, Instant now) {
    return millis <= 0 ? "never" : DurationText.of((now.toEpochMilli() - millis) / 1000.0) + " ago";
  }
}
