package dev.trainyard.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.workflows.messages.CancelRequest;
import dev.trainyard.workflows.messages.CheckpointSaved;
import dev.trainyard.workflows.messages.JobOutcome;
import dev.trainyard.workflows.messages.JobSpec;
import dev.trainyard.workflows.messages.JobTimeouts;
import dev.trainyard.workflows.messages.RetryPolicy;
import dev.trainyard.workflows.messages.SubmittedSpec;
import dev.trainyard.workflows.messages.TrainerCallback;
import dev.trainyard.workflows.messages.TrainerDone;
import dev.trainyard.workflows.messages.TrainingJobInput;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records the histories that {@link RecordedHistoriesReplayTest} replays: every way a job can end,
 * run by the current {@link TrainingJobWorkflowImpl} on the time-skipping test server, with the
 * same scripted trainer and in-memory job store as {@link TrainingJobWorkflowTest}.
 *
 * <p>Not part of the build (its name matches no test pattern, and it needs the output folder). Run
 * it by hand, only for a change made behind {@code Workflow.getVersion}, into a new folder named
 * after that change; see docs/workflow-versioning.md:
 *
 * <pre>
 * ./mvnw -B -q -pl workflows test -Dtest=HistoryRecorder \
 *     -Dtrainyard.histories.out=src/test/resources/histories/CHANGE-ID-vN
 * </pre>
 */
@EnabledIfSystemProperty(named = HistoryRecorder.OUT, matches = ".+")
class HistoryRecorder {
  static final String OUT = "trainyard.histories.out";

  /**
   * Replaces the default worker identity (pid@hostname): nothing of the recording machine leaks.
   */
  private static final String IDENTITY = "trainyard-history-recorder";

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private RecordingJobStore store;
  private ScriptedLauncher launcher;
  private Path out;

  @BeforeEach
  void start() throws IOException {
    out = Path.of(System.getProperty(OUT));
    Files.createDirectories(out);
    WorkflowTestStack stack =
        new WorkflowTestStack(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder().setIdentity(IDENTITY).build())
                .build());
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
  void succeeded() {
    launcher.watching = true;
    Job job = submit(1, JobTimeouts.defaults());
    job.heartbeat(1);
    job.awaitStatus(JobStatus.RUNNING);
    job.heartbeat(2);
    job.wf.trainerDone(new TrainerDone(true, null, 0));
    launcher.exit(job.ref(), 0, "exited");
    job.save("succeeded", JobStatus.SUCCEEDED, null);
  }

  @Test
  void trainerReportedFailure() {
    launcher.watching = true;
    Job job = submit(2, JobTimeouts.defaults());
    job.heartbeat(1);
    job.awaitStatus(JobStatus.RUNNING);
    job.wf.trainerDone(new TrainerDone(false, "dataset 'x' not found", 0));
    launcher.exit(job.ref(), 1, "exited");
    job.save("trainer-reported-failure", JobStatus.FAILED, FailureReason.TRAINER_REPORTED_FAILURE);
  }

  /** The trainer honours should_continue:false and sends done within the grace. */
  @Test
  void cancelledWithinTheGrace() {
    launcher.watching = true;
    Job job = submit(3, JobTimeouts.defaults());
    job.heartbeat(1);
    job.awaitStatus(JobStatus.RUNNING);
    job.wf.cancel(new CancelRequest("user asked", 0));
    job.wf.trainerDone(new TrainerDone(false, "cancelled", 0));
    launcher.exit(job.ref(), 0, "exited");
    job.save("cancelled-within-grace", JobStatus.CANCELLED, FailureReason.CANCELLED_BY_USER);
  }

  @Test
  void cancelForcedWhenTheGraceRunsOut() {
    Job job = submit(4, new JobTimeouts(600, 900, 86_400, 45));
    job.heartbeat(1);
    job.awaitStatus(JobStatus.RUNNING);
    job.wf.cancel(new CancelRequest("user asked", 0));
    job.save("cancel-forced", JobStatus.CANCELLED, FailureReason.CANCEL_FORCED);
  }

  @Test
  void cancelledBeforeTheTrainerReportedIn() {
    Job job = submit(5, JobTimeouts.defaults());
    job.awaitStatus(JobStatus.QUEUED);
    job.wf.cancel(new CancelRequest("changed my mind", 0));
    job.save("cancelled-while-queued", JobStatus.CANCELLED, FailureReason.CANCELLED_BY_USER);
  }

  @Test
  void startupTimeout() {
    Job job = submit(6, new JobTimeouts(600, 900, 86_400, 60));
    job.save("startup-timeout", JobStatus.FAILED, FailureReason.STARTUP_TIMEOUT);
  }

  @Test
  void heartbeatTimeout() {
    Job job = submit(7, new JobTimeouts(600, 900, 86_400, 60));
    job.heartbeat(1);
    job.awaitStatus(JobStatus.RUNNING);
    env.sleep(Duration.ofSeconds(400));
    job.heartbeat(2);
    job.save("heartbeat-timeout", JobStatus.FAILED, FailureReason.HEARTBEAT_TIMEOUT);
  }

  /** Heartbeats the API persisted without signalling: the workflow reads them at the deadline. */
  @Test
  void heartbeatTimeoutAfterUnsignalledHeartbeats() {
    Job job = submit(8, new JobTimeouts(600, 900, 86_400, 60));
    job.heartbeat(1);
    job.awaitStatus(JobStatus.RUNNING);
    for (int i = 0; i < 2; i++) {
      env.sleep(Duration.ofSeconds(590));
      store.persistedCallbacks.put(job.id, env.currentTimeMillis());
    }
    job.save(
        "heartbeat-timeout-after-unsignalled-heartbeats",
        JobStatus.FAILED,
        FailureReason.HEARTBEAT_TIMEOUT);
  }

  @Test
  void deadlineExceeded() {
    Job job = submit(9, new JobTimeouts(600, 900, 1_000, 60));
    job.heartbeat(1);
    for (int i = 0; i < 3; i++) {
      env.sleep(Duration.ofSeconds(300));
      job.heartbeat(i + 2);
    }
    job.save("deadline-exceeded", JobStatus.FAILED, FailureReason.DEADLINE_EXCEEDED);
  }

  /** The launcher reports that the trainer exited without sending done. */
  @Test
  void trainerExited() {
    launcher.watching = true;
    Job job = submit(10, JobTimeouts.defaults());
    job.heartbeat(1);
    job.awaitStatus(JobStatus.RUNNING);
    launcher.exit(job.ref(), 3, "exited");
    job.save("trainer-exited", JobStatus.FAILED, FailureReason.TRAINER_EXITED);
  }

  @Test
  void launchFailed() {
    launcher.rejectLaunch = true;
    Job job = submit(11, JobTimeouts.defaults());
    job.save("launch-failed", JobStatus.FAILED, FailureReason.LAUNCH_FAILED);
  }

  @Test
  void workflowCancelled() {
    launcher.watching = true;
    Job job = submit(12, JobTimeouts.defaults());
    job.heartbeat(1);
    job.awaitStatus(JobStatus.RUNNING);
    WorkflowStub.fromTyped(job.wf).cancel();
    assertThatThrownBy(job::result).isInstanceOf(WorkflowFailedException.class);
    assertThat(store.changes(job.id).get(2).reason()).isEqualTo(FailureReason.WORKFLOW_CANCELLED);
    write("workflow-cancelled", job.history());
  }

  /**
   * Heartbeats until the workflow has continued as new once, then succeeds: one file per run. The
   * pauses keep the signals from flooding (a flood starves continue-as-new, see the workflow test).
   */
  @Test
  void continuedAsNew() {
    launcher.watching = true;
    Job job = submit(13, JobTimeouts.defaults());
    int sent = 0;
    while (job.wf.state().runsCompleted() == 0) {
      for (int i = 0; i < 50; i++) {
        job.heartbeat(++sent);
      }
      int all = sent;
      job.awaitState(s -> s.callbacksReceived() == all);
    }
    job.wf.trainerDone(new TrainerDone(true, null, 0));
    launcher.exit(job.ref(), 0, "exited");
    assertThat(job.result().status()).isEqualTo(JobStatus.SUCCEEDED);
    List<WorkflowExecutionHistory> runs = job.runs();
    assertThat(runs).hasSize(2);
    HistoryEvent secondStart = runs.get(1).getEvents().get(0);
    assertThat(
            secondStart
                .getWorkflowExecutionStartedEventAttributes()
                .getSearchAttributes()
                .getIndexedFieldsMap())
        .as("continue-as-new carries the search attributes to the next run")
        .containsKeys(
            JobSearchAttributes.JOB_ID.getName(),
            JobSearchAttributes.MODEL.getName(),
            JobSearchAttributes.STATUS.getName());
    writeCompressed("continue-as-new-run-1", runs.get(0));
    write("continue-as-new-run-2", runs.get(1));
  }

  /**
   * Attempt 1 dies (OOM) after a checkpoint; attempt 2 resumes from it, a callback of attempt 1
   * arrives meanwhile and is ignored, and attempt 2 succeeds.
   */
  @Test
  void retriedThenSucceeded() {
    launcher.watching = true;
    Job job = submit(14, JobTimeouts.defaults(), new RetryPolicy(3, null, 10, 2.0, 600, null));
    job.heartbeat(1);
    job.awaitStatus(JobStatus.RUNNING);
    job.wf.trainerCheckpoint(
        new CheckpointSaved(1, 1, "s3://trainyard/checkpoints/job-14/attempt-1/last.pt", 0));
    job.awaitState(s -> s.latestCheckpointEpoch() != null);
    launcher.exit(job.ref(), 137, "oom_killed");
    job.sleepThroughBackoff();
    job.awaitState(s -> s.attempt() == 2 && s.trainerRuntime() != null);
    job.wf.trainerCallback(new TrainerCallback(TrainerCallback.Kind.HEARTBEAT, 0, 2, null, 2));
    job.wf.trainerCallback(new TrainerCallback(TrainerCallback.Kind.HEARTBEAT, 0, 9, null, 1));
    job.wf.trainerDone(new TrainerDone(true, null, 0, 2));
    launcher.exit(ScriptedLauncher.ref(14, 2), 0, "exited");
    job.save("retried-then-succeeded", JobStatus.SUCCEEDED, null);
  }

  @Test
  void cancelledWhileWaitingToRetry() {
    launcher.watching = true;
    Job job = submit(15, JobTimeouts.defaults(), new RetryPolicy(3, null, 600, 2.0, 600, null));
    job.heartbeat(1);
    job.awaitStatus(JobStatus.RUNNING);
    launcher.exit(job.ref(), null, "preempted");
    job.awaitBackoff();
    job.wf.cancel(new CancelRequest("enough", 0));
    job.save(
        "cancelled-while-waiting-to-retry", JobStatus.CANCELLED, FailureReason.CANCELLED_BY_USER);
  }

  private Job submit(long id, JobTimeouts timeouts) {
    return submit(id, timeouts, null);
  }

  /** Starts the job as the API does: same workflow id and start-time search attributes. */
  private Job submit(long id, JobTimeouts timeouts, RetryPolicy retry) {
    JobSpec spec =
        new JobSpec(
            id,
            "trace-" + id,
            new SubmittedSpec(
                "scripted",
                "yolo11n",
                "shapes",
                3,
                8,
                0.01,
                "p1",
                Map.of("imgsz", 64),
                timeouts,
                retry,
                retry == null ? null : 1));
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

  private void write(String name, WorkflowExecutionHistory history) {
    try {
      Files.writeString(out.resolve(name + ".json"), history.toJson(true) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A run long enough to continue as new is 1.5 MB of JSON, 30 KB gzipped. */
  private void writeCompressed(String name, WorkflowExecutionHistory history) {
    try (OutputStream file = Files.newOutputStream(out.resolve(name + ".json.gz"));
        GZIPOutputStream gzip = new GZIPOutputStream(file)) {
      gzip.write((history.toJson(true) + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private final class Job extends TestJob {
    Job(long id, TrainingJobWorkflow wf) {
      super(id, wf);
    }

    /** Waits for the end, checks it is the one the scenario is about, and writes the history. */
    void save(String name, JobStatus status, FailureReason reason) {
      JobOutcome outcome = result();
      assertThat(outcome.status()).as(name).isEqualTo(status);
      assertThat(outcome.reason()).as(name).isEqualTo(reason);
      write(name, history());
    }

    /** Lets time run until the job waits between attempts. */
    void awaitBackoff() {
      for (int i = 0; i < 120 && wf.state().nextAttemptAtMillis() == 0; i++) {
        env.sleep(Duration.ofMillis(500));
      }
      assertThat(wf.state().nextAttemptAtMillis()).as("waiting to retry").isPositive();
    }

    /** ... and then just past the backoff, into the next attempt. */
    void sleepThroughBackoff() {
      awaitBackoff();
      long nextAt = wf.state().nextAttemptAtMillis();
      env.sleep(Duration.ofMillis(Math.max(1, nextAt - env.currentTimeMillis() + 200)));
    }

    WorkflowExecutionHistory history() {
      return client.fetchHistory(TaskQueues.workflowId(id));
    }

    /** Every run of the continue-as-new chain, oldest first. */
    List<WorkflowExecutionHistory> runs() {
      List<WorkflowExecutionHistory> runs = new ArrayList<>();
      WorkflowExecutionHistory run = history();
      while (true) {
        runs.add(0, run);
        String previous =
            run.getEvents()
                .get(0)
                .getWorkflowExecutionStartedEventAttributes()
                .getContinuedExecutionRunId();
        if (previous.isEmpty()) {
          return runs;
        }
        run = client.fetchHistory(TaskQueues.workflowId(id), previous);
      }
    }
  }
}
