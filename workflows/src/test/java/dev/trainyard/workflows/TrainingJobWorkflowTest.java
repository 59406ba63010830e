package dev.trainyard.workflows;

import static dev.trainyard.workflows.JobStatus.CANCELLED;
import static dev.trainyard.workflows.JobStatus.FAILED;
import static dev.trainyard.workflows.JobStatus.PENDING;
import static dev.trainyard.workflows.JobStatus.QUEUED;
import static dev.trainyard.workflows.JobStatus.RUNNING;
import static dev.trainyard.workflows.JobStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.workflows.messages.CancelRequest;
import dev.trainyard.workflows.messages.JobOutcome;
import dev.trainyard.workflows.messages.JobSpec;
import dev.trainyard.workflows.messages.JobStateView;
import dev.trainyard.workflows.messages.JobTimeouts;
import dev.trainyard.workflows.messages.SubmittedSpec;
import dev.trainyard.workflows.messages.TrainerCallback;
import dev.trainyard.workflows.messages.TrainerDone;
import dev.trainyard.workflows.messages.TrainingJobInput;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributes;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The state machine, timers and cancel paths, on the time-skipping test server. Tests of timers
 * leave trainers unwatched: the test server cannot skip time while an activity runs.
 */
@Timeout(120)
class TrainingJobWorkflowTest {
  private static final AtomicLong IDS = new AtomicLong(1);

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

  @Test
  void succeedsThroughEveryStateWhenTheTrainerReportsSuccess() {
    launcher.watching = true;
    Job job = submit(JobTimeouts.defaults());
    job.heartbeat(1);
    job.awaitStatus(RUNNING);
    job.heartbeat(2);
    job.wf.trainerDone(new TrainerDone(true, null, 0));
    launcher.exit(job.ref(), 0, "exited");

    JobOutcome outcome = job.result();

    assertThat(outcome.status()).isEqualTo(SUCCEEDED);
    assertThat(outcome.reason()).isNull();
    assertThat(store.path(job.id)).containsExactly(PENDING, QUEUED, RUNNING, SUCCEEDED);
    assertThat(store.changes(job.id).get(0).trainerLog()).isEqualTo("/logs/job-" + job.id + ".log");
    assertThat(launcher.launches).containsExactly(job.id);
    assertThat(launcher.stops).as("a trainer that exits by itself is not stopped").isEmpty();
  }

  @Test
  void failsWithReasonWhenTheTrainerReportsFailure() {
    launcher.watching = true;
    Job job = submit(JobTimeouts.defaults());
    job.heartbeat(1);
    job.wf.trainerDone(new TrainerDone(false, "dataset 'x' not found", 0));
    launcher.exit(job.ref(), 1, "exited");

    JobOutcome outcome = job.result();

    assertThat(outcome.status()).isEqualTo(FAILED);
    assertThat(outcome.reason()).isEqualTo(FailureReason.TRAINER_REPORTED_FAILURE);
    assertThat(outcome.message()).contains("dataset 'x' not found");
    assertThat(store.path(job.id)).containsExactly(PENDING, QUEUED, RUNNING, FAILED);
  }

  @Test
  void aSilentTrainerFailsAtTheStartupTimeoutAndIsStopped() {
    Job job = submit(new JobTimeouts(600, 900, 86_400, 60));
    long launchedAt = env.currentTimeMillis();

    JobOutcome outcome = job.result();

    assertThat(outcome.status()).isEqualTo(FAILED);
    assertThat(outcome.reason()).isEqualTo(FailureReason.STARTUP_TIMEOUT);
    assertThat(store.path(job.id)).containsExactly(PENDING, QUEUED, FAILED);
    long failedAt = store.changes(job.id).get(1).atMillis();
    assertThat(failedAt - launchedAt).isBetween(900_000L, 901_000L);
    assertThat(launcher.stops)
        .singleElement()
        .satisfies(s -> assertThat(s.graceSeconds()).isEqualTo(60));
  }

  @Test
  void aTrainerThatGoesSilentFailsOneHeartbeatTimeoutAfterItsLastCallback() {
    Job job = submit(new JobTimeouts(600, 900, 86_400, 60));
    job.heartbeat(1);
    job.awaitStatus(RUNNING);
    env.sleep(Duration.ofSeconds(400));
    job.heartbeat(2); // moves the deadline: the first timer must not fail the job
    long lastHeartbeat = env.currentTimeMillis();

    JobOutcome outcome = job.result();

    assertThat(outcome.reason()).isEqualTo(FailureReason.HEARTBEAT_TIMEOUT);
    long failedAt = store.changes(job.id).get(2).atMillis();
    assertThat(failedAt - lastHeartbeat).isBetween(600_000L - 1_000, 601_000L);
    assertThat(store.path(job.id)).containsExactly(PENDING, QUEUED, RUNNING, FAILED);
    assertThat(launcher.stops).hasSize(1);
  }

  @Test
  void heartbeatsRecordedOnlyInTheDatabaseKeepTheJobAliveUntilTheyStop() {
    Job job = submit(new JobTimeouts(600, 900, 86_400, 60));
    job.heartbeat(1); // the first callback is always signalled: it makes the job running
    job.awaitStatus(RUNNING);
    long lastPersisted = 0;
    for (int i = 0; i < 5; i++) { // 50 minutes of heartbeats the API did not signal
      env.sleep(Duration.ofSeconds(590));
      lastPersisted = env.currentTimeMillis();
      store.persistedCallbacks.put(job.id, lastPersisted);
    }

    JobOutcome outcome = job.result();

    assertThat(outcome.reason()).isEqualTo(FailureReason.HEARTBEAT_TIMEOUT);
    long failedAt = store.changes(job.id).get(2).atMillis();
    assertThat(failedAt - lastPersisted)
        .as("exact to within a second")
        .isBetween(600_000L, 601_000L);
    assertThat(store.livenessChecks)
        .as("the database is read only when a deadline passes")
        .hasSizeLessThan(12);
  }

  @Test
  void aJobPastItsMaxRuntimeFailsWithDeadlineExceeded() {
    Job job = submit(new JobTimeouts(600, 900, 1_000, 60));
    job.heartbeat(1);
    for (int i = 0; i < 3; i++) {
      env.sleep(Duration.ofSeconds(300));
      job.heartbeat(i + 2);
    }

    JobOutcome outcome = job.result();

    assertThat(outcome.reason()).isEqualTo(FailureReason.DEADLINE_EXCEEDED);
    assertThat(outcome.status()).isEqualTo(FAILED);
  }

  @Test
  void aCancelledTrainerThatAcknowledgesEndsCancelled() {
    launcher.watching = true;
    Job job = submit(JobTimeouts.defaults());
    job.heartbeat(1);
    job.awaitStatus(RUNNING);
    job.wf.cancel(new CancelRequest("user asked", 0));
    job.wf.trainerDone(new TrainerDone(false, "cancelled", 0));
    launcher.exit(job.ref(), 0, "exited");

    JobOutcome outcome = job.result();

    assertThat(outcome.status()).isEqualTo(CANCELLED);
    assertThat(outcome.reason()).isEqualTo(FailureReason.CANCELLED_BY_USER);
    assertThat(store.path(job.id)).containsExactly(PENDING, QUEUED, RUNNING, CANCELLED);
    assertThat(launcher.stops).isEmpty();
  }

  @Test
  void aCancelledTrainerThatIgnoresItIsStoppedByForceAfterTheGrace() {
    Job job = submit(new JobTimeouts(600, 900, 86_400, 45));
    job.heartbeat(1);
    job.awaitStatus(RUNNING);
    job.wf.cancel(new CancelRequest("user asked", 0));
    long cancelledAt = env.currentTimeMillis();

    JobOutcome outcome = job.result();

    assertThat(outcome.status()).isEqualTo(CANCELLED);
    assertThat(outcome.reason()).isEqualTo(FailureReason.CANCEL_FORCED);
    assertThat(store.changes(job.id).get(2).atMillis() - cancelledAt).isBetween(45_000L, 46_000L);
    assertThat(launcher.stops)
        .singleElement()
        .satisfies(
            s ->
                assertThat(s.graceSeconds())
                    .isEqualTo(TrainingJobWorkflowImpl.FORCED_STOP_GRACE_SECONDS));
  }

  @Test
  void aCancelBeforeTheTrainerReportsInStopsItAtOnce() {
    Job job = submit(JobTimeouts.defaults());
    job.awaitStatus(QUEUED);
    job.wf.cancel(new CancelRequest("changed my mind", 0));

    JobOutcome outcome = job.result();

    assertThat(outcome.status()).isEqualTo(CANCELLED);
    assertThat(store.path(job.id)).containsExactly(PENDING, QUEUED, CANCELLED);
    assertThat(launcher.stops).hasSize(1);
  }

  @Test
  void aCrashedTrainersTracebackStaysInItsLogAndItsMessageIsTheExceptionLine() {
    launcher.watching = true;
    Job job = submit(JobTimeouts.defaults());
    job.heartbeat(1);
    job.awaitStatus(RUNNING);
    launcher.exit(
        job.ref(),
        1,
        "exited",
        "epoch 1/3\nTraceback (most recent call last):\n"
            + "  File \"/opt/trainyard/trainer/train.py\", line 12, in <module>\n"
            + "    main()\nMemoryError: CUDA out of memory\n\n");

    JobOutcome outcome = job.result();

    assertThat(outcome.reason()).isEqualTo(FailureReason.TRAINER_EXITED);
    assertThat(outcome.message())
        .isEqualTo(
            "the trainer exited without reporting done (exited, exit code 1); its last log line:"
                + " MemoryError: CUDA out of memory.")
        .doesNotContain("/opt/trainyard");
  }

  @Test
  void aTrainerThatExitsWithoutDoneFailsWithinSecondsWithItsExitCodeAndLog() {
    launcher.watching = true;
    Job job = submit(JobTimeouts.defaults());
    job.heartbeat(1);
    job.awaitStatus(RUNNING);
    long crashedAt = env.currentTimeMillis();
    launcher.exit(job.ref(), 3, "exited");

    JobOutcome outcome = job.result();

    assertThat(outcome.status()).isEqualTo(FAILED);
    assertThat(outcome.reason()).isEqualTo(FailureReason.TRAINER_EXITED);
    assertThat(outcome.message()).contains("exit code 3").contains("last line of the log");
    assertThat(store.changes(job.id).get(2).atMillis() - crashedAt)
        .isLessThanOrEqualTo(JobDeadlines.EXIT_GRACE_MILLIS + 1_000);
    assertThat(launcher.stops).as("a dead trainer needs no stop").isEmpty();
  }

  @Test
  void aDoneThatArrivesJustAfterTheExitStillCounts() {
    launcher.watching = true;
    Job job = submit(JobTimeouts.defaults());
    job.heartbeat(1);
    job.awaitStatus(RUNNING);
    launcher.exit(job.ref(), 0, "exited");
    env.sleep(Duration.ofSeconds(2));
    job.wf.trainerDone(new TrainerDone(true, null, 0));

    assertThat(job.result().status()).isEqualTo(SUCCEEDED);
  }

  @Test
  void aRejectedLaunchFailsTheJobWithoutRetrying() {
    launcher.rejectLaunch = true;
    Job job = submit(JobTimeouts.defaults());

    JobOutcome outcome = job.result();

    assertThat(outcome.status()).isEqualTo(FAILED);
    assertThat(outcome.reason()).isEqualTo(FailureReason.LAUNCH_FAILED);
    assertThat(outcome.message()).contains("no trainer command for framework");
    assertThat(store.path(job.id)).containsExactly(PENDING, FAILED);
  }

  @Test
  void aDoneBeforeAnyHeartbeatPassesThroughRunning() {
    launcher.watching = true;
    Job job = submit(JobTimeouts.defaults());
    job.wf.trainerDone(new TrainerDone(true, null, 0));
    launcher.exit(job.ref(), 0, "exited");

    assertThat(job.result().status()).isEqualTo(SUCCEEDED);
    assertThat(store.path(job.id)).containsExactly(PENDING, QUEUED, RUNNING, SUCCEEDED);
  }

  @Test
  void theFirstDoneWinsAndLateOrDuplicateCallbacksChangeNothing() {
    launcher.watching = true;
    Job job = submit(JobTimeouts.defaults());
    job.heartbeat(1);
    job.wf.trainerDone(new TrainerDone(true, null, 0));
    job.wf.trainerDone(new TrainerDone(false, "a second, different done", 0));
    job.heartbeat(7); // late heartbeat after done
    job.wf.cancel(new CancelRequest("too late", 0));
    launcher.exit(job.ref(), 0, "exited");

    assertThat(job.result().status()).isEqualTo(SUCCEEDED);
    assertThat(store.path(job.id)).containsExactly(PENDING, QUEUED, RUNNING, SUCCEEDED);
  }

  @Test
  void cancellingTheWorkflowItselfStillRecordsTheEndAndStopsTheTrainer() {
    launcher.watching = true;
    Job job = submit(JobTimeouts.defaults());
    job.heartbeat(1);
    job.awaitStatus(RUNNING);

    WorkflowStub.fromTyped(job.wf).cancel();

    assertThatThrownBy(job::result).isInstanceOf(WorkflowFailedException.class);
    assertThat(store.path(job.id)).containsExactly(PENDING, QUEUED, RUNNING, CANCELLED);
    assertThat(store.changes(job.id).get(2).reason()).isEqualTo(FailureReason.WORKFLOW_CANCELLED);
    assertThat(launcher.stops).hasSize(1);
  }

  @Test
  void theQueryShowsTheLiveState() {
    Job job = submit(JobTimeouts.defaults());
    job.wf.trainerCallback(new TrainerCallback(TrainerCallback.Kind.HEARTBEAT, 0, 3, 42.5));
    job.awaitStatus(RUNNING);

    JobStateView state = job.wf.state();

    assertThat(state.status()).isEqualTo(RUNNING);
    assertThat(state.lastEpoch()).isEqualTo(3);
    assertThat(state.lastProgress()).isEqualTo(42.5);
    assertThat(state.trainerRuntime()).isEqualTo("scripted");
    assertThat(state.callbacksReceived()).isEqualTo(1);
    // what explain says the job waits for: silence from the last callback fails it
    assertThat(state.nextDeadline()).isEqualTo("heartbeat");
    assertThat(state.nextDeadlineAtMillis())
        .isEqualTo(
            state.lastCallbackAtMillis() + JobTimeouts.defaults().heartbeatTimeoutSeconds() * 1000);
  }

  @Test
  void theQueryNamesTheCancelGraceOnceACancelArrives() {
    Job job = submit(JobTimeouts.defaults());
    job.heartbeat(1);
    job.awaitStatus(RUNNING);

    job.wf.cancel(new CancelRequest("test", 0));
    job.awaitState(s -> s.cancelNoticedAtMillis() > 0);
    JobStateView state = job.wf.state();

    assertThat(state.nextDeadline()).isEqualTo("cancel_grace");
    assertThat(state.nextDeadlineAtMillis())
        .isEqualTo(
            state.cancelNoticedAtMillis() + JobTimeouts.defaults().cancelGraceSeconds() * 1000);
  }

  /** Issue 12, item 8: anyone who can query Temporal must not learn the pid or the log path. */
  @Test
  void theQueryShowsNoLauncherInternals() {
    Job job = submit(JobTimeouts.defaults());
    job.wf.trainerCallback(new TrainerCallback(TrainerCallback.Kind.HEARTBEAT, 0, 1, 10.0));
    job.awaitStatus(RUNNING);

    @SuppressWarnings("unchecked")
    Map<String, Object> answer = WorkflowStub.fromTyped(job.wf).query("state", Map.class);

    assertThat(answer).doesNotContainKeys("trainer", "exit");
    assertThat(answer.toString())
        .doesNotContain("ref=" + job.ref())
        .doesNotContain("/logs/job-" + job.id);
    assertThat(answer.get("trainerRuntime")).isEqualTo("scripted");
  }

  @Test
  void aLongJobContinuesAsNewCarryingItsStateAndEveryRunStaysSmall() {
    launcher.watching = true;
    Job job = submit(JobTimeouts.defaults());
    // Enough for 3 runs even when signals batch into few tasks. Trainers heartbeat at intervals,
    // so the test pauses every 50: under a continuous flood continue-as-new is starved (its
    // command is refused while new signals keep arriving), which this test is not about.
    int heartbeats = 8_000;
    for (int i = 1; i <= heartbeats; i++) {
      job.heartbeat(i);
      if (i % 50 == 0) {
        int sent = i;
        job.awaitState(s -> s.callbacksReceived() == sent);
      }
    }
    JobStateView carried = job.wf.state();
    job.wf.trainerDone(new TrainerDone(true, null, 0));
    launcher.exit(job.ref(), 0, "exited");

    assertThat(job.result().status()).isEqualTo(SUCCEEDED);
    assertThat(carried.lastEpoch()).isEqualTo(heartbeats);
    assertThat(launcher.launches)
        .as("the trainer is launched once across runs")
        .containsExactly(job.id);
    assertThat(store.path(job.id)).containsExactly(PENDING, QUEUED, RUNNING, SUCCEEDED);
    List<Integer> runLengths = WorkflowRuns.historyLengths(client, TaskQueues.workflowId(job.id));
    assertThat(runLengths)
        .as("runs of the chain")
        .hasSizeGreaterThanOrEqualTo(3)
        .allSatisfy(n -> assertThat(n).isLessThan(4_096));
    SearchAttributes lastRun = WorkflowStub.fromTyped(job.wf).describe().getTypedSearchAttributes();
    assertThat(lastRun.get(JobSearchAttributes.JOB_ID))
        .as("the start's attributes, carried across runs")
        .isEqualTo(job.id);
    assertThat(lastRun.get(JobSearchAttributes.MODEL)).isEqualTo("yolo11n");
    assertThat(lastRun.get(JobSearchAttributes.STATUS)).isEqualTo(SUCCEEDED.wireName());
  }

  @Test
  void aRecordedHistoryReplaysDeterministically() throws Exception {
    launcher.watching = true;
    Job job = submit(JobTimeouts.defaults());
    job.heartbeat(1);
    job.wf.cancel(new CancelRequest("stop", 0));
    job.wf.trainerDone(new TrainerDone(false, "cancelled", 0));
    launcher.exit(job.ref(), 0, "exited");
    job.result();

    WorkflowExecutionHistory history = client.fetchHistory(TaskQueues.workflowId(job.id));
    WorkflowReplayer.replayWorkflowExecution(history, TrainingJobWorkflowImpl.class);
  }

  private Job submit(JobTimeouts timeouts) {
    long id = IDS.getAndIncrement();
    JobSpec spec =
        new JobSpec(
            id,
            "trace-" + id,
            new SubmittedSpec(
                "scripted", "yolo11n", "shapes", 3, 8, 0.01, "p1", Map.of(), timeouts));
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
  }
}
