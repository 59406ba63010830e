package dev.trainyard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.activities.CallbackTokenIssuer;
import dev.trainyard.bench.launcher.LaunchSink;
import dev.trainyard.bench.launcher.SimulatedLaunch;
import dev.trainyard.bench.launcher.SimulatedLauncher;
import dev.trainyard.workflows.JobSearchAttributes;
import dev.trainyard.workflows.JobStatus;
import dev.trainyard.workflows.JobStore;
import dev.trainyard.workflows.TaskQueues;
import dev.trainyard.workflows.TrainingJobWorkflow;
import dev.trainyard.workflows.TrainingJobWorkflowImpl;
import dev.trainyard.workflows.messages.JobOutcome;
import dev.trainyard.workflows.messages.JobSpec;
import dev.trainyard.workflows.messages.JobTimeouts;
import dev.trainyard.workflows.messages.StatusChange;
import dev.trainyard.workflows.messages.SubmittedSpec;
import dev.trainyard.workflows.messages.TrainerCallback;
import dev.trainyard.workflows.messages.TrainerDone;
import dev.trainyard.workflows.messages.TrainingJobInput;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A month-long job on the real workflow, with time skipping: the trainer heartbeats every 10 s and
 * the API does what it does with those heartbeats (persists each one; signals the workflow only for
 * the first and then once per 30 s progress interval). The job store answers the workflow's
 * liveness reads from the simulated trainer's last heartbeat, as PostgreSQL would. Every run of the
 * continue-as-new chain must stay under 4,096 events, and the job must end succeeded, once.
 *
 * <p>CI simulates {@code bench.history.days} (default 3) days; {@code -Dbench.history.days=30}
 * gives the full month (a few minutes).
 */
class ThirtyDayHistoryTest {
  static final long HEARTBEAT_MILLIS = 10_000;
  static final long SIGNAL_MILLIS = 30_000;
  final int days = Integer.getInteger("bench.history.days", 3);
  TestWorkflowEnvironment env;
  final List<StatusChange> transitions = new CopyOnWriteArrayList<>();
  volatile long trainerStartedAt = Long.MAX_VALUE;

  /** What PostgreSQL would say: the trainer's last 10-s heartbeat before now. */
  class SimulatedRecord implements JobStore {
    @Override
    public void recordTransition(StatusChange change) {
      transitions.add(change);
    }

    @Override
    public void attemptStarted(dev.trainyard.workflows.messages.AttemptStart start) {}

    @Override
    public void attemptEnded(dev.trainyard.workflows.messages.AttemptEnd end) {}

    @Override
    public long lastCallbackAtMillis(long jobId) {
      long now = env.currentTimeMillis();
      return now < trainerStartedAt ? 0 : now - (now - trainerStartedAt) % HEARTBEAT_MILLIS;
    }
  }

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    JobSearchAttributes.definitions().forEach(env::registerSearchAttribute);
    Worker worker = env.newWorker(TaskQueues.TRAINING_JOBS);
    worker.registerWorkflowImplementationTypes(TrainingJobWorkflowImpl.class);
    LaunchSink nowhere =
        new LaunchSink() {
          @Override
          public void launched(SimulatedLaunch launch) {}

          @Override
          public void stop(long jobId) {}
        };
    worker.registerActivitiesImplementations(
        new SimulatedRecord(),
        new SimulatedLauncher(
            new CallbackTokenIssuer("history-test-secret-long-enough-for-hs256".getBytes()),
            "http://api",
            nowhere));
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void aMonthOfTenSecondHeartbeatsKeepsEveryRunUnder4096Events() {
    long simulated = days * 86_400_000L - 3_600_000L;
    long maxRuntime = Math.min(2_592_000L, simulated / 1000 + 7_200);
    JobSpec spec =
        new JobSpec(
            1,
            "trace-month",
            new SubmittedSpec(
                "simulated",
                "net",
                "data",
                100,
                32,
                0.001,
                "p",
                Map.of(),
                new JobTimeouts(600, 900, maxRuntime, 60),
                null,
                null));
    WorkflowClient client = env.getWorkflowClient();
    TrainingJobWorkflow workflow =
        client.newWorkflowStub(
            TrainingJobWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(TaskQueues.workflowId(1))
                .setTaskQueue(TaskQueues.TRAINING_JOBS)
                .build());
    WorkflowClient.start(workflow::run, TrainingJobInput.start(spec));
    env.sleep(Duration.ofSeconds(5)); // launched; the trainer starts and reports in
    TrainingJobWorkflow job =
        client.newWorkflowStub(TrainingJobWorkflow.class, TaskQueues.workflowId(1));
    trainerStartedAt = env.currentTimeMillis();
    long start = trainerStartedAt;
    long signals = 0;
    while (env.currentTimeMillis() - start < simulated) {
      job.trainerCallback(
          new TrainerCallback(TrainerCallback.Kind.HEARTBEAT, env.currentTimeMillis(), 1, 50.0));
      signals++;
      env.sleep(Duration.ofMillis(SIGNAL_MILLIS));
    }
    job.trainerDone(new TrainerDone(true, null, env.currentTimeMillis()));
    JobOutcome outcome = WorkflowStub.fromTyped(job).getResult(JobOutcome.class);

    List<Integer> runs = historyLengths(client, TaskQueues.workflowId(1));
    System.out.printf(
        "history: %d simulated days, %d signals (%d heartbeats persisted by the API),"
            + " %d runs, longest %d events%n",
        days,
        signals,
        simulated / HEARTBEAT_MILLIS,
        runs.size(),
        runs.stream().mapToInt(Integer::intValue).max().orElse(0));
    assertThat(outcome.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(transitions)
        .extracting(StatusChange::to)
        .containsExactly(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.SUCCEEDED);
    assertThat(runs).allSatisfy(n -> assertThat(n).isLessThan(4_096));
  }

  static List<Integer> historyLengths(WorkflowClient client, String workflowId) {
    List<Integer> lengths = new ArrayList<>();
    WorkflowExecutionHistory run = client.fetchHistory(workflowId);
    while (true) {
      List<HistoryEvent> events = run.getEvents();
      lengths.add(0, events.size());
      String previous =
          events.get(0).getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId();
      if (previous.isEmpty()) {
        return lengths;
      }
      run = client.fetchHistory(workflowId, previous);
    }
  }
}
