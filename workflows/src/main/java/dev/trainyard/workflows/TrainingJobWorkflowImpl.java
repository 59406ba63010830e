package dev.trainyard.workflows;

import static dev.trainyard.workflows.JobStatus.CANCELLED;
import static dev.trainyard.workflows.JobStatus.FAILED;
import static dev.trainyard.workflows.JobStatus.PENDING;
import static dev.trainyard.workflows.JobStatus.QUEUED;
import static dev.trainyard.workflows.JobStatus.RUNNING;
import static dev.trainyard.workflows.JobStatus.SUCCEEDED;

import dev.trainyard.workflows.JobDeadlines.Deadline;
import dev.trainyard.workflows.logging.TraceMdc;
import dev.trainyard.workflows.messages.AttemptEnd;
import dev.trainyard.workflows.messages.AttemptStart;
import dev.trainyard.workflows.messages.CancelRequest;
import dev.trainyard.workflows.messages.CheckpointSaved;
import dev.trainyard.workflows.messages.JobOutcome;
import dev.trainyard.workflows.messages.JobSpec;
import dev.trainyard.workflows.messages.JobStateView;
import dev.trainyard.workflows.messages.LaunchRequest;
import dev.trainyard.workflows.messages.RetryPolicy;
import dev.trainyard.workflows.messages.StatusChange;
import dev.trainyard.workflows.messages.StopRequest;
import dev.trainyard.workflows.messages.TrainerCallback;
import dev.trainyard.workflows.messages.TrainerDone;
import dev.trainyard.workflows.messages.TrainerExit;
import dev.trainyard.workflows.messages.TrainingJobInput;
import dev.trainyard.workflows.messages.TrainingJobState;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * Owns one job's state machine: launch, watch, timeouts, cancel, and exactly one terminal state.
 *
 * <p>Signals only record facts in {@link TrainingJobState}; the main loop decides. Heartbeats do
 * not wake the loop (they move {@code lastCallbackAtMillis}); a single timer is armed for the
 * earliest deadline and, when it fires, the deadline is recomputed. The history therefore grows by
 * the signals alone, and the workflow continues as new, carrying the whole state, long before a run
 * nears Temporal's limits.
 *
 * <p>A job runs in attempts ({@link WorkflowChanges#ATTEMPTS}). When an attempt fails for a reason
 * its {@link RetryPolicy} retries, and attempts and budget remain, the job does not fail: the
 * trainer is stopped, the attempt recorded as ended, and after a backoff (a deadline like the
 * others, {@link JobDeadlines.Kind#NEXT_ATTEMPT}, that a cancel cuts short) the next attempt is
 * launched from the latest checkpoint. The job's status stays as it was meanwhile, so it still
 * reaches one terminal state, once. Signals of any other attempt than the current one are ignored.
 */
public class TrainingJobWorkflowImpl implements TrainingJobWorkflow {
  private static final int MAX_LOG_LINE_CHARS = 500;

  /** Continue as new well below the 4,096 events at which the server starts to complain. */
  static final int HISTORY_EVENTS_PER_RUN = 3_000;

  /** How long a trainer that sent {@code done} may take to exit by itself before it is stopped. */
  static final Duration EXIT_AFTER_DONE = Duration.ofSeconds(30);

  /** The grace of a stop that follows an already expired cancel grace. */
  static final long FORCED_STOP_GRACE_SECONDS = 5;

  /** The exit cause the workflow gives a trainer whose watch failed: its fate is unknown. */
  private static final String WATCH_FAILED = "watch_failed";

  private static final Logger log = Workflow.getLogger(TrainingJobWorkflowImpl.class);

  private final JobSpec spec;
  private final TrainingJobState state;
  private final JobStore store = WorkflowActivities.jobStore();
  private final TrainerLauncher launcher = WorkflowActivities.launcher();
  private final TrainerLauncher watcher;

  /** Set by signals the loop must react to at once (first callback, done, cancel). */
  private boolean urgent;

  /** Whether this run took version 1 of {@link WorkflowChanges#ATTEMPTS}; asked once per run. */
  private boolean attempts;

  private CancellationScope watchScope;
  private Promise<TrainerExit> exitPromise;
  private final DeadlineTimer timer = new DeadlineTimer();

  @WorkflowInit
  public TrainingJobWorkflowImpl(TrainingJobInput input) {
    this.spec = input.spec();
    this.state = input.carried() != null ? input.carried() : new TrainingJobState();
    this.watcher = WorkflowActivities.watcher(spec.submitted().timeouts());
  }

  @Override
  public JobOutcome run(TrainingJobInput input) {
    if (Workflow.getVersion(
            WorkflowChanges.SEARCH_ATTRIBUTES_SET_AT_START, Workflow.DEFAULT_VERSION, 1)
        == Workflow.DEFAULT_VERSION) {
      upsertEveryAttributeAsBeforeVersion1();
    }
    attempts =
        Workflow.getVersion(WorkflowChanges.ATTEMPTS, Workflow.DEFAULT_VERSION, 1)
            != Workflow.DEFAULT_VERSION;
    if (attempts) {
      state.maxAttempts = policy().maxAttempts();
      if (state.attempt == 0 && state.status != PENDING) {
        state.attempt = 1; // carried from a run before attempts: its one attempt is running
      }
    }
    try {
      if (state.status == JobStatus.PENDING && state.nextAttemptAtMillis == 0) {
        launch();
      }
      if (!state.status.isTerminal()) {
        supervise();
      }
    } catch (CanceledFailure e) {
      Workflow.newDetachedCancellationScope(this::endBecauseWorkflowCancelled).run();
      throw e;
    }
    return new JobOutcome(spec.jobId(), state.status, state.failureReason, state.message);
  }

  /**
   * What every run did first before {@link WorkflowChanges#SEARCH_ATTRIBUTES_SET_AT_START}: kept
   * unchanged so that the runs started then replay. New runs never take this branch.
   */
  private void upsertEveryAttributeAsBeforeVersion1() {
    Workflow.upsertTypedSearchAttributes(
        JobSearchAttributes.JOB_ID.valueSet(spec.jobId()),
        JobSearchAttributes.TRACE_ID.valueSet(spec.traceId()),
        JobSearchAttributes.MODEL.valueSet(spec.submitted().modelName()),
        JobSearchAttributes.DATASET.valueSet(spec.submitted().datasetId()),
        JobSearchAttributes.STATUS.valueSet(state.status.wireName()));
  }

  @Override
  public void trainerCallback(TrainerCallback callback) {
    if (state.status.isTerminal() || !fromCurrentAttempt(callback.attempt())) {
      return;
    }
    noteCallback();
    state.attemptCallbacks++;
    if (callback.epoch() != null) {
      state.lastEpoch = callback.epoch();
    }
    if (callback.progress() != null) {
      state.lastProgress = callback.progress();
    }
    if (state.status != RUNNING) {
      urgent = true;
    }
  }

  @Override
  public void trainerDone(TrainerDone done) {
    if (state.status.isTerminal() || state.done != null || !fromCurrentAttempt(done.attempt())) {
      return;
    }
    noteCallback();
    state.attemptCallbacks++;
    state.done = done;
    urgent = true;
  }

  @Override
  public void trainerCheckpoint(CheckpointSaved checkpoint) {
    if (state.status.isTerminal()
        || Math.max(1, checkpoint.attempt()) != currentAttempt()
        || checkpoint.uri() == null) {
      return; // a checkpoint of the attempt that just failed still counts, even between attempts
    }
    CheckpointSaved latest = state.latestCheckpoint;
    if (latest == null || checkpoint.epoch() >= latest.epoch()) {
      state.latestCheckpoint = checkpoint;
    }
  }

  /**
   * Whether a callback of {@code attempt} (null: 1) belongs to the attempt that runs now. Between
   * attempts none does: the failed attempt's trainer has been stopped and the next is not launched.
   */
  private boolean fromCurrentAttempt(Integer attempt) {
    return (attempt == null ? 1 : attempt) == currentAttempt() && state.nextAttemptAtMillis == 0;
  }

  private int currentAttempt() {
    return Math.max(1, state.attempt);
  }

  private RetryPolicy policy() {
    return spec.submitted().retryPolicy();
  }

  @Override
  public void cancel(CancelRequest request) {
    if (state.status.isTerminal() || state.cancel != null || state.done != null) {
      return; // after done the trainer has finished: a cancel is too late to change the outcome
    }
    state.cancel = request;
    state.cancelNoticedAtMillis = Workflow.currentTimeMillis();
    urgent = true;
  }

  @Override
  public JobStateView state() {
    return JobStateView.of(state, JobDeadlines.next(state, spec.submitted().timeouts()));
  }

  private void noteCallback() {
    state.lastCallbackAtMillis = Workflow.currentTimeMillis();
    state.callbacksReceived++;
  }

  private void launch() {
    if (state.cancel != null) {
      end(CANCELLED, FailureReason.CANCELLED_BY_USER, "cancelled before the trainer was launched");
      return;
    }
    if (!attempts) {
      launchAsBeforeAttempts();
      return;
    }
    if (state.attempt == 0) {
      state.attempt = 1;
      state.firstAttemptAtMillis = Workflow.currentTimeMillis();
    }
    state.resumedFrom = state.attempt > 1 ? state.latestCheckpoint : null;
    recordAttemptStart();
    try {
      state.trainer = launcher.launch(new LaunchRequest(spec, state.attempt, state.resumedFrom));
    } catch (ActivityFailure e) {
      failAttempt(
          FailureReason.LAUNCH_FAILED,
          "could not launch the trainer: " + rootMessage(e),
          !launchRejected(e));
      return;
    }
    long now = Workflow.currentTimeMillis();
    if (state.launchedAtMillis == 0) {
      state.launchedAtMillis = now;
    }
    state.attemptLaunchedAtMillis = now;
    say(
        "trainer launched: "
            + state.trainer.runtime()
            + " "
            + state.trainer.ref()
            + " (attempt "
            + state.attempt
            + " of "
            + state.maxAttempts
            + ")");
    if (state.status == PENDING) {
      move(QUEUED, null, null, state.trainer.logLocation());
    }
  }

  /** {@link #launch()} before {@link WorkflowChanges#ATTEMPTS}: kept unchanged to replay. */
  private void launchAsBeforeAttempts() {
    try {
      state.trainer = launcher.launch(new LaunchRequest(spec));
    } catch (ActivityFailure e) {
      end(FAILED, FailureReason.LAUNCH_FAILED, "could not launch the trainer: " + rootMessage(e));
      return;
    }
    state.launchedAtMillis = Workflow.currentTimeMillis();
    say("trainer launched: " + state.trainer.runtime() + " " + state.trainer.ref());
    move(QUEUED, null, null, state.trainer.logLocation());
  }

  /** A launch the launcher refused outright (bad command, bad spec) fails every attempt alike. */
  private static boolean launchRejected(ActivityFailure e) {
    return e.getCause() instanceof ApplicationFailure failure
        && FailureTypes.LAUNCH_REJECTED.equals(failure.getType());
  }

  private void recordAttemptStart() {
    CheckpointSaved from = state.resumedFrom;
    try {
      store.attemptStarted(
          new AttemptStart(
              spec.jobId(),
              state.attempt,
              state.maxAttempts,
              Workflow.currentTimeMillis(),
              from == null ? null : from.uri(),
              from == null ? null : from.epoch()));
    } catch (ActivityFailure e) {
      error("{} job store did not record attempt {}: {}", who(), state.attempt, rootMessage(e));
    }
    say(
        "attempt "
            + state.attempt
            + " of "
            + state.maxAttempts
            + (from == null ? " starts" : " starts from the checkpoint of epoch " + from.epoch()));
  }

  private void recordAttemptEnd(FailureReason cause, String message, Long nextAttemptAtMillis) {
    try {
      store.attemptEnded(
          new AttemptEnd(
              spec.jobId(),
              state.attempt,
              Workflow.currentTimeMillis(),
              cause == null ? null : cause.wireName(),
              message,
              nextAttemptAtMillis));
    } catch (ActivityFailure e) {
      error(
          "{} job store did not record attempt {}'s end: {}", who(), state.attempt, rootMessage(e));
    }
  }

  /** Starts watching the current attempt's trainer, unless its end is already known. */
  private void watch() {
    if (state.trainer != null && state.exit == null && !state.unwatched) {
      watchScope =
          Workflow.newCancellationScope(
              () -> exitPromise = Async.function(watcher::awaitExit, state.trainer));
      watchScope.run();
    }
  }

  private void supervise() {
    if (attempts) {
      watch();
    } else if (state.exit == null && !state.unwatched) {
      watchScope =
          Workflow.newCancellationScope(
              () -> exitPromise = Async.function(watcher::awaitExit, state.trainer));
      watchScope.run();
    }
    while (!state.status.isTerminal()) {
      if (step()) {
        continue;
      }
      if (historyIsLong()) {
        continueAsNew();
      }
      Deadline deadline = JobDeadlines.next(state, spec.submitted().timeouts());
      if (deadline != null) {
        timer.arm(deadline.atMillis());
      }
      Workflow.await(() -> urgent || timer.fired() || exitUnseen() || historyIsLong());
      urgent = false;
    }
  }

  /** Applies at most one decision; returns whether it did anything. */
  private boolean step() {
    long now = Workflow.currentTimeMillis();
    if (state.nextAttemptAtMillis > 0) {
      return stepBetweenAttempts(now);
    }
    if (exitUnseen()) {
      noteExit(now);
    }
    if (state.done != null) {
      endFromDone(now);
      return true;
    }
    if (state.status == QUEUED && state.callbacksReceived > 0) {
      startRunning(now);
      return true;
    }
    if (state.cancel != null && state.status == QUEUED) {
      end(CANCELLED, FailureReason.CANCELLED_BY_USER, "cancelled before the trainer reported in");
      return true;
    }
    Deadline deadline = JobDeadlines.next(state, spec.submitted().timeouts());
    if (deadline != null && deadline.passed(now)) {
      if (deadline.kind() == JobDeadlines.Kind.HEARTBEAT && heardFromSinceLastSignal()) {
        return true; // the trainer called back without a signal: the deadline moved
      }
      expire(deadline);
      return true;
    }
    return false;
  }

  /** Between attempts: a cancel ends the job at once; the backoff's end starts the next attempt. */
  private boolean stepBetweenAttempts(long now) {
    if (state.cancel != null) {
      end(CANCELLED, FailureReason.CANCELLED_BY_USER, "cancelled while waiting to retry");
      return true;
    }
    Deadline deadline = JobDeadlines.next(state, spec.submitted().timeouts());
    if (deadline == null || !deadline.passed(now)) {
      return false;
    }
    if (deadline.kind() != JobDeadlines.Kind.NEXT_ATTEMPT) {
      expire(deadline);
      return true;
    }
    state.nextAttemptAtMillis = 0;
    state.attempt++;
    launch();
    if (!state.status.isTerminal() && state.nextAttemptAtMillis == 0) {
      watch();
    }
    return true;
  }

  /**
   * The attempt failed. Unless the retry policy gives the job another attempt, the job fails with
   * the attempt's reason; otherwise its trainer is stopped, the attempt recorded as ended, and the
   * next attempt waits for its backoff (the loop's {@link JobDeadlines.Kind#NEXT_ATTEMPT}). {@code
   * retryable}: false for a failure that would repeat whatever the policy (a usage error, a
   * rejected launch).
   */
  private void failAttempt(FailureReason reason, String message, boolean retryable) {
    if (!attempts) {
      end(FAILED, reason, message);
      return;
    }
    RetryPolicy policy = policy();
    long now = Workflow.currentTimeMillis();
    long backoffMillis = policy.backoffAfter(state.attempt).toMillis();
    String notRetried = whyNotRetried(policy, reason, retryable, now + backoffMillis);
    if (notRetried != null) {
      end(FAILED, reason, notRetried.isEmpty() ? message : message + " " + notRetried);
      return;
    }
    if (state.exit != null && WATCH_FAILED.equals(state.exit.cause())) {
      state.exit = null; // nobody saw this trainer end: stop it before another one starts
    }
    stopTrainer();
    long nextAt = Workflow.currentTimeMillis() + backoffMillis;
    recordAttemptEnd(reason, message, nextAt);
    say(
        "attempt "
            + state.attempt
            + " failed ("
            + reason.wireName()
            + "); attempt "
            + (state.attempt + 1)
            + " in "
            + backoffMillis / 1000
            + " s");
    state.lastAttemptFailure = reason;
    state.nextAttemptAtMillis = nextAt;
    state.trainer = null;
    state.done = null;
    state.exit = null;
    state.exitNoticedAtMillis = 0;
    state.unwatched = false;
    state.attemptCallbacks = 0;
    state.attemptLaunchedAtMillis = 0;
    watchScope = null;
    exitPromise = null;
  }

  /**
   * Null when the job gets another attempt; else the words (maybe empty) that the job's message
   * ends with to say why it does not.
   */
  private String whyNotRetried(
      RetryPolicy policy, FailureReason reason, boolean retryable, long nextAtMillis) {
    if (policy.maxAttempts() <= 1) {
      return ""; // no retries asked for: the message stays as it always was
    }
    String of = "(attempt " + state.attempt + " of " + policy.maxAttempts();
    if (state.cancel != null) {
      return of + "; a cancel was requested)";
    }
    if (!retryable || !policy.retries(reason)) {
      return of + "; " + reason.wireName() + " is not retried)";
    }
    if (state.attempt >= policy.maxAttempts()) {
      return of + "; no attempts left)";
    }
    Integer budget = policy.budgetSeconds();
    if (budget != null && nextAtMillis - state.firstAttemptAtMillis >= budget * 1000L) {
      return of + "; the retry budget of " + budget + " s is spent)";
    }
    long maxRuntime = spec.submitted().timeouts().maxRuntimeSeconds();
    if (state.status == RUNNING && nextAtMillis >= state.startedAtMillis + maxRuntime * 1000) {
      return of + "; the next attempt would start past the max runtime)";
    }
    return null;
  }

  /**
   * The API signals only some heartbeats (see {@code CallbackService}); before failing a trainer as
   * silent, read when it really last called back.
   */
  private boolean heardFromSinceLastSignal() {
    long persisted = store.lastCallbackAtMillis(spec.jobId());
    if (persisted <= state.lastCallbackAtMillis) {
      return false;
    }
    state.lastCallbackAtMillis = persisted;
    return true;
  }

  private void startRunning(long now) {
    state.startedAtMillis = now;
    move(RUNNING, null, null, null);
  }

  private void endFromDone(long now) {
    if (state.status == QUEUED) {
      startRunning(now);
    }
    TrainerDone done = state.done;
    if (state.cancel != null) {
      end(
          CANCELLED,
          FailureReason.CANCELLED_BY_USER,
          "the trainer stopped after the cancel request");
    } else if (done.succeeded()) {
      end(SUCCEEDED, null, null);
    } else {
      String error =
          done.error() == null || done.error().isBlank() ? "no error given" : done.error();
      end(FAILED, FailureReason.TRAINER_REPORTED_FAILURE, "the trainer reported failure: " + error);
    }
  }

  private void expire(Deadline deadline) {
    var t = spec.submitted().timeouts();
    switch (deadline.kind()) {
      case STARTUP ->
          failAttempt(
              FailureReason.STARTUP_TIMEOUT,
              "the trainer did not call back within "
                  + t.startupTimeoutSeconds()
                  + " s of its launch",
              true);
      case HEARTBEAT ->
          failAttempt(
              FailureReason.HEARTBEAT_TIMEOUT,
              "no callback from the trainer for " + t.heartbeatTimeoutSeconds() + " s",
              true);
      case RUNTIME ->
          end(
              FAILED,
              FailureReason.DEADLINE_EXCEEDED,
              "the job ran longer than its max runtime of " + t.maxRuntimeSeconds() + " s");
      case CANCEL_GRACE ->
          end(
              CANCELLED,
              FailureReason.CANCEL_FORCED,
              "the trainer did not finish within the "
                  + t.cancelGraceSeconds()
                  + " s cancel grace and was stopped by force");
      case EXIT_GRACE -> endAfterExit();
      case NEXT_ATTEMPT -> {} // stepBetweenAttempts starts it
    }
  }

  private void endAfterExit() {
    if (state.cancel != null) {
      end(
          CANCELLED,
          FailureReason.CANCELLED_BY_USER,
          "the trainer exited after the cancel request");
      return;
    }
    TrainerExit exit = state.exit;
    StringBuilder message =
        new StringBuilder("the trainer exited without reporting done (")
            .append(exit.cause())
            .append(exit.exitCode() == null ? "" : ", exit code " + exit.exitCode())
            .append(')');
    String lastLine = lastLogLine(exit.logTail());
    if (lastLine != null) {
      message.append("; its last log line: ").append(lastLine);
    }
    message.append('.');
    if (!attempts) {
      end(FAILED, FailureReason.TRAINER_EXITED, message.toString());
      return;
    }
    FailureReason reason = FailureReason.ofTrainerExit(exit.cause());
    boolean userError =
        reason == FailureReason.TRAINER_EXITED
            && exit.exitCode() != null
            && RetryPolicy.USER_ERROR_EXIT_CODES.contains(exit.exitCode());
    failAttempt(reason, message.toString(), !userError);
  }

  /**
   * The last non-blank line of a dead trainer's output, bounded: a job's message is one line for
   * users, and a traceback's frames (with the trainer's file paths) stay in its log, where {@code
   * trainyard logs} shows them. For a Python crash that line is the exception itself.
   */
  private static String lastLogLine(String logTail) {
    if (logTail == null) {
      return null;
    }
    String last = null;
    for (String line : logTail.split("\\R")) {
      if (!line.isBlank()) {
        last = line.strip();
      }
    }
    if (last == null || last.length() <= MAX_LOG_LINE_CHARS) {
      return last;
    }
    return last.substring(0, MAX_LOG_LINE_CHARS) + "…";
  }

  /** Writes the one terminal state, then makes sure the trainer is gone. */
  private void end(JobStatus terminal, FailureReason reason, String message) {
    // Between attempts the last attempt has been recorded as ended already.
    boolean attemptOpen = attempts && state.attempt > 0 && state.nextAttemptAtMillis == 0;
    state.nextAttemptAtMillis = 0;
    state.failureReason = reason;
    state.message = message;
    move(terminal, reason, message, null);
    timer.cancel();
    stopTrainer();
    if (attemptOpen) {
      recordAttemptEnd(reason, message, null);
    }
  }

  private void stopTrainer() {
    if (state.trainer == null || state.exit != null) {
      cancelWatch();
      return;
    }
    if (state.done != null && exitPromise != null) {
      // The trainer ends itself after done; give it time to close MLflow and flush its log.
      Workflow.await(EXIT_AFTER_DONE, exitPromise::isCompleted);
    }
    if (!watchSawExit()) {
      long grace =
          state.failureReason == FailureReason.CANCEL_FORCED
              ? FORCED_STOP_GRACE_SECONDS
              : spec.submitted().timeouts().cancelGraceSeconds();
      try {
        WorkflowActivities.stopper(grace).stop(new StopRequest(state.trainer, grace));
      } catch (ActivityFailure e) {
        error("{} could not stop the trainer {}: {}", who(), state.trainer.ref(), rootMessage(e));
      }
    }
    cancelWatch();
  }

  private void endBecauseWorkflowCancelled() {
    if (!state.status.isTerminal()) {
      try {
        end(CANCELLED, FailureReason.WORKFLOW_CANCELLED, "the job's workflow was cancelled");
        return;
      } catch (ActivityFailure e) {
        error("{} could not record the cancellation: {}", who(), rootMessage(e));
      }
    }
    stopTrainer();
  }

  private void move(JobStatus to, FailureReason reason, String message, String trainerLog) {
    JobStatus from = state.status;
    if (!from.canTransitionTo(to)) {
      error("{} refused invalid transition {} -> {}", who(), from, to);
      return;
    }
    long now = Workflow.currentTimeMillis();
    try {
      store.recordTransition(
          new StatusChange(spec.jobId(), from, to, now, reason, message, trainerLog));
    } catch (ActivityFailure e) {
      // The record disagrees (edited by hand?). The workflow stays the authority on status.
      error("{} job store refused {} -> {}: {}", who(), from, to, rootMessage(e));
    }
    state.status = to;
    Workflow.upsertTypedSearchAttributes(JobSearchAttributes.STATUS.valueSet(to.wireName()));
    say(
        from.wireName()
            + " -> "
            + to.wireName()
            + (reason == null ? "" : " (" + reason.wireName() + ")"));
  }

  private void cancelWatch() {
    if (watchScope != null && exitPromise != null && !exitPromise.isCompleted()) {
      watchScope.cancel();
    }
  }

  /** True only when the watcher reported an exit, not when it was cancelled or failed. */
  private boolean watchSawExit() {
    return exitPromise != null && exitPromise.isCompleted() && exitPromise.getFailure() == null;
  }

  private boolean exitUnseen() {
    return exitPromise != null
        && exitPromise.isCompleted()
        && state.exit == null
        && !state.unwatched;
  }

  private void noteExit(long now) {
    try {
      state.exit = exitPromise.get();
    } catch (ActivityFailure e) {
      if (e.getCause() instanceof ApplicationFailure failure
          && FailureTypes.WATCH_UNSUPPORTED.equals(failure.getType())) {
        state.unwatched = true;
        say("the launcher cannot watch this trainer; relying on callbacks and timers");
        return;
      }
      state.exit = new TrainerExit(null, WATCH_FAILED, rootMessage(e), now);
    }
    state.exitNoticedAtMillis = now;
    say("trainer exited: " + state.exit.cause() + ", code " + state.exit.exitCode());
  }

  private boolean historyIsLong() {
    var info = Workflow.getInfo();
    return info.isContinueAsNewSuggested() || info.getHistoryLength() >= HISTORY_EVENTS_PER_RUN;
  }

  private void continueAsNew() {
    timer.cancel();
    cancelWatch();
    Workflow.await(Workflow::isEveryHandlerFinished);
    state.runsCompleted++;
    say("continuing as new (run " + (state.runsCompleted + 1) + ")");
    Workflow.continueAsNew(new TrainingJobInput(spec, state));
  }

  /**
   * The workflow's lines carry the job's ids as the activities' do (job_id, trace_id), from a scope
   * opened around each call: the workflow thread keeps no MDC of its own between them.
   */
  private void say(String what) {
    try (TraceMdc ignored = TraceMdc.of(spec.jobId(), spec.traceId())) {
      log.info("{} {}", who(), what);
    }
  }

  private void error(String format, Object... arguments) {
    try (TraceMdc ignored = TraceMdc.of(spec.jobId(), spec.traceId())) {
      log.error(format, arguments);
    }
  }

  private String who() {
    return "job " + spec.jobId(); // its trace id is the line's trace_id field (say, error)
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }
}
