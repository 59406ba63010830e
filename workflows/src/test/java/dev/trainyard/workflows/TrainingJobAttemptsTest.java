package dev.trainyard.workflows;

import static dev.trainyard.workflows.JobStatus.CANCELLED;
import static dev.trainyard.workflows.JobStatus.FAILED;
import static dev.trainyard.workflows.JobStatus.PENDING;
import static dev.trainyard.workflows.JobStatus.QUEUED;
import static dev.trainyard.workflows.JobStatus.RUNNING;
import static dev.trainyard.workflows.JobStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.workflows.messages.AttemptEnd;
import dev.trainyard.workflows.messages.AttemptStart;
import dev.trainyard.workflows.messages.CancelRequest;
import dev.trainyard.workflows.messages.CheckpointSaved;
import dev.trainyard.workflows.messages.JobOutcome;
import dev.trainyard.workflows.messages.JobSpec;
import dev.trainyard.workflows.messages.JobStateView;
import dev.trainyard.workflows.messages.JobTimeouts;
import dev.trainyard.workflows.messages.LaunchRequest;
import dev.trainyard.workflows.messages.RetryPolicy;
import dev.trainyard.workflows.messages.SubmittedSpec;
import dev.trainyard.workflows.messages.TrainerCallback;
import dev.trainyard.workflows.messages.TrainerDone;
import dev.trainyard.workflows.messages.TrainingJobInput;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.WorkerFactoryOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jobs that run in attempts (issue 16), on the time-skipping test server: which failures a retry
 * policy retries, the backoff and the budget, cancels and worker crashes between attempts,
 * continue-as-new in the middle of them, callbacks of an old attempt, and the checkpoint the next
 * attempt resumes from. Time moves only in {@code env.sleep} and while a test waits for a result.
 */
@Timeout(180)
class TrainingJobAttemptsTest {
  private static final AtomicLong IDS = new AtomicLong(1_000);
  private static final int BACKOFF = 10;
  private static final JobTimeouts TIMEOUTS = new JobTimeouts(600, 900, 86_400, 60);

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private RecordingJobStore store;
  private ScriptedLauncher launcher;

  @BeforeEach
  void start() {
    WorkflowTestStack stack = new WorkflowTestStack(TestEnvironmentOptions.getDefaultInstance());
    env = stack.env;
    client = stack.client;
    store = stack.store;
    launcher = stack.launcher;
  }

  @AfterEach
  void stop() {
    env.close();
  }

  /** How a test makes attempt 1 fail, and what the job's reason then is. */
  enum Cause {
    OOM_KILLED("oom_killed", 137, FailureReason.OOM_KILLED),
    EVICTED("evicted", null, FailureReason.EVICTED),
    PREEMPTED("preempted", null, FailureReason.PREEMPTED),
    NODE_LOST("node_lost", null, FailureReason.NODE_LOST),
    IMAGE_PULL_FAILED("image_pull_failed", null, FailureReason.IMAGE_PULL_FAILED),
    EXITED("exited", 1, FailureReason.TRAINER_EXITED),
    KILLED("killed", 137, FailureReason.TRAINER_EXITED),
    USAGE_ERROR("exited", 2, FailureReason.TRAINER_EXITED),
    JOB_DEADLINE("deadline_exceeded", null, FailureReason.DEADLINE_EXCEEDED),
    HEARTBEAT_TIMEOUT(null, null, FailureReason.HEARTBEAT_TIMEOUT),
    STARTUP_TIMEOUT(null, null, FailureReason.STARTUP_TIMEOUT),
    LAUNCH_FAILED(null, null, FailureReason.LAUNCH_FAILED),
    TRAINER_REPORTED_FAILURE(null, null, FailureReason.TRAINER_REPORTED_FAILURE);

    final String exitCause;
    final Integer exitCode;
    final FailureReason reason;

    Cause(String exitCause, Integer exitCode, FailureReason reason) {
      this.exitCause = exitCause;
      this.exitCode = exitCode;
      this.reason = reason;
    }

    boolean isExit() {
      return exitCause != null;
    }
  }

  /** Which retry_on a test's policy has, relative to the cause. */
  enum Policy {
    DEFAULT,
    ONLY_THIS_CAUSE,
    ALL_BUT_THIS_CAUSE;

    RetryPolicy of(Cause cause) {
      List<String> retryOn =
          switch (this) {
            case DEFAULT -> RetryPolicy.DEFAULT_RETRY_ON;
            case ONLY_THIS_CAUSE -> List.of(cause.reason.wireName());
            case ALL_BUT_THIS_CAUSE ->
                RetryPolicy.ALLOWED_RETRY_ON.stream()
                    .filter(w -> !w.equals(cause.reason.wireName()))
                    .toList();
          };
      return new RetryPolicy(3, retryOn, BACKOFF, 2.0, 600, null);
    }
  }

  static Stream<Arguments> causesAndPolicies() {
    List<Arguments> all = new ArrayList<>();
    for (Cause cause : Cause.values()) {
      for (Policy policy : Policy.values()) {
        all.add(Arguments.of(cause, policy));
      }
    }
    return all.stream();
  }

  /** What the contract says: retry_on decides, except for usage errors and the never-retried. */
  private static boolean retried(Cause cause, RetryPolicy policy) {
    return switch (cause) {
      case USAGE_ERROR, JOB_DEADLINE, TRAINER_REPORTED_FAILURE -> false;
      default -> policy.retryOn().contains(cause.reason.wireName());
    };
  }

  @ParameterizedTest(name = "{0} with {1} retry_on")
  @MethodSource("causesAndPolicies")
  void aFailedAttemptIsRetriedExactlyWhenThePolicyCoversItsCause(Cause cause, Policy which) {
    RetryPolicy policy = which.of(cause);
    boolean retried = retried(cause, policy);
    launcher.watching = cause.isExit() || cause == Cause.TRAINER_REPORTED_FAILURE;
    if (cause == Cause.LAUNCH_FAILED) {
      launcher.failingAttempts.add(1);
    }
    Job job = submit(TIMEOUTS, policy);

    failFirstAttempt(job, cause);

    if (!retried) {
      JobOutcome outcome = job.result();
      assertThat(outcome.status()).isEqualTo(FAILED);
      assertThat(outcome.reason()).isEqualTo(cause.reason);
      if (cause != Cause.TRAINER_REPORTED_FAILURE) {
        assertThat(outcome.message()).endsWith("(attempt 1 of 3; " + notRetriedBecause(cause));
      }
      assertThat(launcher.requests).hasSizeLessThanOrEqualTo(1);
      assertThat(store.attempts(job.id))
          .as("one attempt, ended with the job")
          .satisfiesExactly(
              start -> assertThat(((AttemptStart) start).attempt()).isEqualTo(1),
              end -> {
                AttemptEnd e = (AttemptEnd) end;
                assertThat(e.attempt()).isEqualTo(1);
                assertThat(e.cause()).isEqualTo(cause.reason.wireName());
                assertThat(e.nextAttemptAtMillis()).isNull();
              });
      return;
    }

    // the failure, then the backoff: time moves only here
    awaitBackoff(job, secondsToFail(cause));
    sleepPastNextAttempt(job);
    job.awaitState(s -> s.attempt() == 2 && launched(2) && launchDone(s));
    JobStatus during = job.wf.state().status();
    job.heartbeat(2, 1);
    job.awaitStatus(RUNNING);
    job.wf.trainerDone(new TrainerDone(true, null, 0, 2));
    launcher.exit(ScriptedLauncher.ref(job.id, 2), 0, "exited");

    JobOutcome outcome = job.result();

    assertThat(outcome.status()).isEqualTo(SUCCEEDED);
    assertThat(store.path(job.id))
        .as("one terminal state, once: the failed attempt never shows")
        .containsExactly(PENDING, QUEUED, RUNNING, SUCCEEDED);
    assertThat(during)
        .as("status while attempt 2 starts")
        .isEqualTo(
            switch (cause) {
              case STARTUP_TIMEOUT, LAUNCH_FAILED -> QUEUED;
              default -> RUNNING;
            });
    List<Record> attempts = store.attempts(job.id);
    assertThat(attempts).hasSize(4);
    AttemptEnd first = (AttemptEnd) attempts.get(1);
    assertThat(first.cause()).isEqualTo(cause.reason.wireName());
    assertThat(first.nextAttemptAtMillis()).isEqualTo(first.atMillis() + BACKOFF * 1000L);
    assertThat(((AttemptStart) attempts.get(2)).atMillis())
        .isGreaterThanOrEqualTo(first.nextAttemptAtMillis());
    AttemptEnd last = (AttemptEnd) attempts.get(3);
    assertThat(last.attempt()).isEqualTo(2);
    assertThat(last.cause()).isNull();
    assertThat(last.nextAttemptAtMillis()).isNull();
  }

  private static String notRetriedBecause(Cause cause) {
    return cause.reason.wireName() + " is not retried)";
  }

  /** The workflow has seen its launch succeed: the trainer's runtime shows, the job is queued. */
  private static boolean launchDone(JobStateView s) {
    return s.trainerRuntime() != null && s.status() != PENDING;
  }

  /** Lets time run until the job waits between attempts (the failure takes up to about this). */
  private void awaitBackoff(Job job, long secondsToFail) {
    env.sleep(Duration.ofSeconds(Math.max(0, secondsToFail - 1)));
    for (int i = 0; i < 120 && job.wf.state().nextAttemptAtMillis() == 0; i++) {
      env.sleep(Duration.ofMillis(500));
    }
    assertThat(job.wf.state().nextAttemptAtMillis()).as("waiting to retry").isPositive();
  }

  /**
   * Lets time run just past the backoff: the next attempt's watch then holds the test server's
   * clock at wall-clock pace, so any time slept beyond costs real seconds.
   */
  private void sleepPastNextAttempt(Job job) {
    long nextAt = job.wf.state().nextAttemptAtMillis();
    assertThat(nextAt).as("waiting to retry").isPositive();
    env.sleep(Duration.ofMillis(Math.max(1, nextAt - env.currentTimeMillis() + 200)));
  }

  private boolean launched(int attempt) {
    return launcher.requests.stream().anyMatch(r -> r.attempt() == attempt);
  }

  private void failFirstAttempt(Job job, Cause cause) {
    switch (cause) {
      case HEARTBEAT_TIMEOUT -> {
        job.heartbeat(1, 1);
        job.awaitStatus(RUNNING);
      }
      case STARTUP_TIMEOUT, LAUNCH_FAILED -> {}
      case TRAINER_REPORTED_FAILURE -> {
        job.heartbeat(1, 1);
        job.awaitStatus(RUNNING);
        job.wf.trainerDone(new TrainerDone(false, "dataset 'x' not found", 0, 1));
        launcher.exit(job.ref(), 1, "exited");
      }
      default -> {
        job.heartbeat(1, 1);
        job.awaitStatus(RUNNING);
        launcher.exit(job.ref(), cause.exitCode, cause.exitCause);
      }
    }
  }

  private static long secondsToFail(Cause cause) {
    return switch (cause) {
      case HEARTBEAT_TIMEOUT -> TIMEOUTS.heartbeatTimeoutSeconds();
      case STARTUP_TIMEOUT -> TIMEOUTS.startupTimeoutSeconds();
      case LAUNCH_FAILED -> 14; // the launch activity's own retries: 1 + 2 + 4 + 8 s
      default -> JobDeadlines.EXIT_GRACE_MILLIS / 1000;
    };
  }

  @Test
  void theNextAttemptResumesFromTheLatestCheckpointAndCallbacksOfTheOldAttemptAreIgnored() {
    launcher.watching = true;
    Job job = submit(TIMEOUTS, RetryPolicy.defaults(3));
    job.heartbeat(1, 1);
    job.awaitStatus(RUNNING);
    CheckpointSaved epoch3 = checkpoint(1, 3);
    job.wf.trainerCheckpoint(checkpoint(1, 2));
    job.wf.trainerCheckpoint(epoch3);
    job.wf.trainerCheckpoint(checkpoint(1, 1)); // late and lower: not the latest
    job.wf.trainerCheckpoint(checkpoint(2, 9)); // an attempt that does not run yet
    job.awaitState(s -> Integer.valueOf(3).equals(s.latestCheckpointEpoch()));
    launcher.exit(job.ref(), 137, "oom_killed");

    awaitBackoff(job, 5);
    sleepPastNextAttempt(job);
    job.awaitState(s -> s.attempt() == 2 && launched(2) && launchDone(s));
    long callbacks = job.wf.state().callbacksReceived();

    // the dead attempt's trainer (a zombie) calls back: nothing of it counts
    job.heartbeat(1, 7);
    job.wf.trainerDone(new TrainerDone(true, null, 0, 1));
    job.wf.trainerDone(new TrainerDone(true, null, 0, null));
    job.wf.trainerCheckpoint(checkpoint(1, 8));
    job.heartbeat(2, 4);
    job.awaitState(s -> s.callbacksReceived() == callbacks + 1);
    JobStateView state = job.wf.state();
    assertThat(state.status()).isEqualTo(RUNNING);
    assertThat(state.doneReported()).isFalse();
    assertThat(state.lastEpoch()).isEqualTo(4);
    assertThat(state.latestCheckpointEpoch()).isEqualTo(3);
    assertThat(state.maxAttempts()).isEqualTo(3);
    assertThat(state.nextDeadline()).isEqualTo("heartbeat");

    job.wf.trainerCheckpoint(checkpoint(2, 5));
    job.wf.trainerDone(new TrainerDone(true, null, 0, 2));
    launcher.exit(ScriptedLauncher.ref(job.id, 2), 0, "exited");

    assertThat(job.result().status()).isEqualTo(SUCCEEDED);
    assertThat(launcher.requests)
        .extracting(LaunchRequest::attempt, LaunchRequest::resumeFrom)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, null),
            org.assertj.core.groups.Tuple.tuple(2, epoch3));
    AttemptStart second = (AttemptStart) store.attempts(job.id).get(2);
    assertThat(second.resumedFromUri()).isEqualTo(epoch3.uri());
    assertThat(second.resumedFromEpoch()).isEqualTo(3);
    assertThat(second.maxAttempts()).isEqualTo(3);
    assertThat(launcher.stops).as("each trainer exited by itself").isEmpty();
  }

  @Test
  void attemptsRunOutWithGrowingBackoffsAndEachIsRecordedInOrder() {
    launcher.watching = true;
    Job job = submit(TIMEOUTS, new RetryPolicy(3, null, 10, 3.0, 25, null));
    for (int attempt = 1; attempt <= 3; attempt++) {
      int a = attempt;
      job.awaitState(s -> s.attempt() == a && launched(a));
      job.heartbeat(attempt, 1);
      job.awaitState(s -> s.callbacksReceived() == a);
      launcher.exit(ScriptedLauncher.ref(job.id, attempt), 137, "oom_killed");
      if (attempt < 3) {
        awaitBackoff(job, 5);
        sleepPastNextAttempt(job);
      }
    }

    JobOutcome outcome = job.result();

    assertThat(outcome.status()).isEqualTo(FAILED);
    assertThat(outcome.reason()).isEqualTo(FailureReason.OOM_KILLED);
    assertThat(outcome.message())
        .startsWith("the trainer exited without reporting done (oom_killed, exit code 137)")
        .endsWith("(attempt 3 of 3; no attempts left)");
    assertThat(store.path(job.id)).containsExactly(PENDING, QUEUED, RUNNING, FAILED);
    List<Record> attempts = store.attempts(job.id);
    assertThat(attempts)
        .extracting(r -> r.getClass().getSimpleName() + attemptOf(r))
        .containsExactly(
            "AttemptStart1",
            "AttemptEnd1",
            "AttemptStart2",
            "AttemptEnd2",
            "AttemptStart3",
            "AttemptEnd3");
    AttemptEnd first = (AttemptEnd) attempts.get(1);
    AttemptEnd second = (AttemptEnd) attempts.get(3);
    AttemptEnd third = (AttemptEnd) attempts.get(5);
    assertThat(first.nextAttemptAtMillis() - first.atMillis()).isEqualTo(10_000);
    assertThat(second.nextAttemptAtMillis() - second.atMillis())
        .as("10 s × 3, bounded by max_backoff 25 s")
        .isEqualTo(25_000);
    assertThat(third.nextAttemptAtMillis()).isNull();
    assertThat(third.cause()).isEqualTo("oom_killed");
    assertThat(launcher.requests).extracting(LaunchRequest::attempt).containsExactly(1, 2, 3);
  }

  private static int attemptOf(Record r) {
    return r instanceof AttemptStart s ? s.attempt() : ((AttemptEnd) r).attempt();
  }

  @Test
  void noNewAttemptStartsOnceTheBudgetIsSpent() {
    // start-up timeouts of 25 s, backoff 10 s, budget 60 s: attempt 2 starts at 35 s, fails at
    // 60 s, and an attempt 3 at 70 s would be past the budget although attempts remain
    Job job =
        submit(
            new JobTimeouts(600, 25, 86_400, 60),
            new RetryPolicy(5, List.of("startup_timeout"), 10, 1.0, 10, 60));

    JobOutcome outcome = job.result();

    assertThat(outcome.reason()).isEqualTo(FailureReason.STARTUP_TIMEOUT);
    assertThat(outcome.message()).endsWith("(attempt 2 of 5; the retry budget of 60 s is spent)");
    assertThat(store.path(job.id)).containsExactly(PENDING, QUEUED, FAILED);
    assertThat(launcher.requests).extracting(LaunchRequest::attempt).containsExactly(1, 2);
    List<Record> attempts = store.attempts(job.id);
    AttemptStart second = (AttemptStart) attempts.get(2);
    AttemptEnd last = (AttemptEnd) attempts.get(3);
    assertThat(last.atMillis() - second.atMillis())
        .as("start-up counts from the attempt's own launch")
        .isBetween(25_000L, 26_000L);
    assertThat(launcher.stops).as("each silent trainer is stopped").hasSize(2);
  }

  @Test
  void aCancelWhileWaitingToRetryEndsTheJobAtOnce() {
    launcher.watching = true;
    Job job = submit(TIMEOUTS, new RetryPolicy(3, null, 600, 2.0, 600, null));
    job.heartbeat(1, 1);
    job.awaitStatus(RUNNING);
    launcher.exit(job.ref(), null, "preempted");
    awaitBackoff(job, 5);

    JobStateView waiting = job.wf.state();
    assertThat(waiting.status()).as("a job between attempts stays running").isEqualTo(RUNNING);
    assertThat(waiting.attempt()).isEqualTo(1);
    assertThat(waiting.nextDeadline()).isEqualTo("next_attempt");
    assertThat(waiting.nextDeadlineAtMillis()).isEqualTo(waiting.nextAttemptAtMillis());
    assertThat(waiting.failureReason()).isNull();
    job.wf.cancel(new CancelRequest("enough", 0));

    JobOutcome outcome = job.result();

    assertThat(outcome.status()).isEqualTo(CANCELLED);
    assertThat(outcome.reason()).isEqualTo(FailureReason.CANCELLED_BY_USER);
    assertThat(outcome.message()).isEqualTo("cancelled while waiting to retry");
    assertThat(store.path(job.id)).containsExactly(PENDING, QUEUED, RUNNING, CANCELLED);
    assertThat(launcher.requests).hasSize(1);
    assertThat(store.attempts(job.id)).hasSize(2);
    assertThat(env.currentTimeMillis() - waiting.nextAttemptAtMillis())
        .as("ended long before the backoff's end")
        .isNegative();
  }

  @Test
  void aJobWithoutARetryPolicyFailsAtItsFirstFailureAsBefore() {
    launcher.watching = true;
    Job job = submit(TIMEOUTS, null);
    job.heartbeat(1, 1);
    job.awaitStatus(RUNNING);
    launcher.exit(job.ref(), 1, "exited");

    JobOutcome outcome = job.result();

    assertThat(outcome.reason()).isEqualTo(FailureReason.TRAINER_EXITED);
    assertThat(outcome.message())
        .isEqualTo(
            "the trainer exited without reporting done (exited, exit code 1); its last log line:"
                + " last line of the log.");
    assertThat(store.path(job.id)).containsExactly(PENDING, QUEUED, RUNNING, FAILED);
    assertThat(store.attempts(job.id))
        .satisfiesExactly(
            s -> assertThat(s).isEqualTo(new AttemptStart(job.id, 1, 1, startedAt(s), null, null)),
            e -> assertThat(((AttemptEnd) e).cause()).isEqualTo("trainer_exited"));
    assertThat(job.wf.state().attempt()).isEqualTo(1);
    assertThat(job.wf.state().maxAttempts()).isEqualTo(1);
  }

  private static long startedAt(Record r) {
    return ((AttemptStart) r).atMillis();
  }

  @Test
  void aFirstLaunchThatFailsLeavesTheJobPendingUntilTheNextAttemptLaunches() {
    launcher.failingAttempts.add(1);
    Job job = submit(TIMEOUTS, RetryPolicy.defaults(2));
    awaitBackoff(job, 14);
    assertThat(store.path(job.id)).containsExactly(PENDING);
    assertThat(job.wf.state().status()).isEqualTo(PENDING);
    assertThat(job.wf.state().nextDeadline()).isEqualTo("next_attempt");

    JobOutcome outcome = job.result(); // attempt 2's trainer never calls back

    assertThat(outcome.reason()).isEqualTo(FailureReason.STARTUP_TIMEOUT);
    assertThat(store.path(job.id)).containsExactly(PENDING, QUEUED, FAILED);
    assertThat(store.changes(job.id).get(0).trainerLog()).isEqualTo("/logs/job-" + job.id + ".log");
    assertThat(((AttemptEnd) store.attempts(job.id).get(1)).cause()).isEqualTo("launch_failed");
  }

  /**
   * A worker that dies between attempts is replaced by one that rebuilds the job from its history
   * alone. Here every workflow task does so (a worker without a workflow cache replays the whole
   * history each time, as a fresh worker does), and the history as it stands in the backoff also
   * replays on its own. (Killing one worker and starting another on the same test server stalled:
   * the server never handed the next workflow task to the new worker's pollers.)
   */
  @Test
  void aWorkerThatRestartsDuringTheBackoffRebuildsTheJobFromItsHistoryAndItCompletesOnce()
      throws Exception {
    stop();
    WorkflowTestStack stack =
        new WorkflowTestStack(
            TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder().setWorkflowCacheSize(0).build())
                .build());
    env = stack.env;
    client = stack.client;
    store = stack.store;
    launcher = stack.launcher;
    launcher.watching = true;
    Job job = submit(TIMEOUTS, new RetryPolicy(3, null, 120, 2.0, 600, null));
    job.heartbeat(1, 1);
    job.awaitStatus(RUNNING);
    job.wf.trainerCheckpoint(checkpoint(1, 2));
    launcher.exit(job.ref(), null, "node_lost");
    awaitBackoff(job, 5);

    WorkflowReplayer.replayWorkflowExecution(
        client.fetchHistory(TaskQueues.workflowId(job.id)), TrainingJobWorkflowImpl.class);
    sleepPastNextAttempt(job);
    job.awaitState(s -> s.attempt() == 2 && launched(2) && launchDone(s));
    job.heartbeat(2, 3);
    job.wf.trainerDone(new TrainerDone(true, null, 0, 2));
    launcher.exit(ScriptedLauncher.ref(job.id, 2), 0, "exited");

    assertThat(job.result().status()).isEqualTo(SUCCEEDED);
    assertThat(store.path(job.id)).containsExactly(PENDING, QUEUED, RUNNING, SUCCEEDED);
    assertThat(launcher.requests).extracting(LaunchRequest::attempt).containsExactly(1, 2);
    assertThat(launcher.requests.get(1).resumeFrom().epoch()).isEqualTo(2);
    assertThat(store.attempts(job.id))
        .extracting(r -> r.getClass().getSimpleName() + attemptOf(r))
        .containsExactly("AttemptStart1", "AttemptEnd1", "AttemptStart2", "AttemptEnd2");
    WorkflowReplayer.replayWorkflowExecution(
        client.fetchHistory(TaskQueues.workflowId(job.id)), TrainingJobWorkflowImpl.class);
  }

  @Test
  void aJobContinuesAsNewBetweenAttemptsAndCarriesThem() {
    launcher.watching = true;
    Job job = submit(TIMEOUTS, new RetryPolicy(3, null, 3_600, 2.0, 3_600, null));
    job.heartbeat(1, 1);
    job.awaitStatus(RUNNING);
    job.wf.trainerCheckpoint(checkpoint(1, 4));
    launcher.exit(job.ref(), 137, "oom_killed");
    awaitBackoff(job, 5);
    long nextAttemptAt = job.wf.state().nextAttemptAtMillis();

    // a zombie floods the job while it waits: ignored, but its signals fill the history. No query
    // meanwhile: the test server loses track of its clock when a query races the continue-as-new.
    String workflowId = TaskQueues.workflowId(job.id);
    WorkflowStub stub = WorkflowStub.fromTyped(job.wf);
    int sent = 0;
    while (WorkflowRuns.historyLengths(client, workflowId).size() < 2) {
      assertThat(sent).as("signals before the job continues as new").isLessThan(5_000);
      long length =
          stub.describe().getRawDescription().getWorkflowExecutionInfo().getHistoryLength();
      // in bursts while far from the limit, then one a second: a continue-as-new is refused while
      // new signals arrive, and its retry replays the whole history, so a steady stream starves it
      int burst = length < TrainingJobWorkflowImpl.HISTORY_EVENTS_PER_RUN - 200 ? 50 : 1;
      for (int i = 0; i < burst; i++) {
        job.heartbeat(1, 100 + ++sent);
      }
      sleep(burst == 1 ? 1_000 : 50);
    }
    job.awaitState(s -> s.runsCompleted() >= 1);
    JobStateView carried = job.wf.state();
    assertThat(carried.nextAttemptAtMillis()).isEqualTo(nextAttemptAt);
    assertThat(carried.attempt()).isEqualTo(1);
    assertThat(carried.latestCheckpointEpoch()).isEqualTo(4);
    assertThat(carried.lastEpoch()).as("the zombie's epochs never counted").isEqualTo(1);

    sleepPastNextAttempt(job);
    job.awaitState(s -> s.attempt() == 2 && launched(2) && launchDone(s));
    job.heartbeat(2, 5);
    job.wf.trainerDone(new TrainerDone(true, null, 0, 2));
    launcher.exit(ScriptedLauncher.ref(job.id, 2), 0, "exited");

    assertThat(job.result().status()).isEqualTo(SUCCEEDED);
    assertThat(WorkflowRuns.historyLengths(client, TaskQueues.workflowId(job.id)))
        .hasSizeGreaterThanOrEqualTo(2)
        .allSatisfy(n -> assertThat(n).isLessThan(4_096));
    assertThat(launcher.requests).extracting(LaunchRequest::attempt).containsExactly(1, 2);
    assertThat(launcher.requests.get(1).resumeFrom().epoch()).isEqualTo(4);
    assertThat(store.attempts(job.id))
        .extracting(r -> r.getClass().getSimpleName() + attemptOf(r))
        .containsExactly("AttemptStart1", "AttemptEnd1", "AttemptStart2", "AttemptEnd2");
    assertThat(((AttemptStart) store.attempts(job.id).get(2)).atMillis())
        .isGreaterThanOrEqualTo(nextAttemptAt);
  }

  @Test
  void aSilentSecondAttemptFailsAtItsOwnStartupTimeoutWhileTheJobRuns() {
    Job job =
        submit(new JobTimeouts(60, 300, 86_400, 60), new RetryPolicy(2, null, 10, 1.0, 10, null));
    job.heartbeat(1, 1);
    job.awaitStatus(RUNNING);

    JobOutcome outcome = job.result(); // heartbeat timeout, then a retry that never calls back

    assertThat(outcome.reason()).isEqualTo(FailureReason.STARTUP_TIMEOUT);
    assertThat(outcome.message()).endsWith("(attempt 2 of 2; startup_timeout is not retried)");
    assertThat(store.path(job.id)).containsExactly(PENDING, QUEUED, RUNNING, FAILED);
    List<Record> attempts = store.attempts(job.id);
    assertThat(((AttemptEnd) attempts.get(1)).cause()).isEqualTo("heartbeat_timeout");
    assertThat(((AttemptEnd) attempts.get(3)).atMillis() - startedAt(attempts.get(2)))
        .isBetween(300_000L, 301_000L);
  }

  private static CheckpointSaved checkpoint(int attempt, int epoch) {
    return new CheckpointSaved(
        attempt, epoch, "s3://bucket/checkpoints/job-1/attempt-" + attempt + "/last.pt", 0);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Job submit(JobTimeouts timeouts, RetryPolicy retry) {
    long id = IDS.getAndIncrement();
    JobSpec spec =
        new JobSpec(
            id,
            "trace-" + id,
            new SubmittedSpec(
                "scripted", "yolo11n", "shapes", 3, 8, 0.01, "p1", Map.of(), timeouts, retry, 1));
    TrainingJobWorkflow wf =
        client.newWorkflowStub(
            TrainingJobWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(TaskQueues.TRAINING_JOBS)
                .setWorkflowId(TaskQueues.workflowId(id))
                .setTypedSearchAttributes(JobSearchAttributes.atStart(spec))
                .build());
    WorkflowClient.start(wf::run, TrainingJobInput.start(spec));
    return new Job(id, wf);
  }

  private static final class Job extends TestJob {
    Job(long id, TrainingJobWorkflow wf) {
      super(id, wf);
    }

    void heartbeat(int attempt, int epoch) {
      wf.trainerCallback(
          new TrainerCallback(TrainerCallback.Kind.HEARTBEAT, 0, epoch, null, attempt));
    }
  }
}
