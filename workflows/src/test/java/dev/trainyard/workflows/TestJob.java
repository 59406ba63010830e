package dev.trainyard.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.workflows.messages.JobOutcome;
import dev.trainyard.workflows.messages.JobStateView;
import dev.trainyard.workflows.messages.TrainerCallback;
import io.temporal.client.WorkflowStub;
import java.util.function.Predicate;

/**
 * A job started in a workflow test (the unit tests and the history recorder): its workflow stub,
 * its trainer's heartbeats, and waiting on its state through the workflow's query.
 */
class TestJob {
  private static final long WAIT_MILLIS = 30_000;

  final long id;
  final TrainingJobWorkflow wf;

  TestJob(long id, TrainingJobWorkflow wf) {
    this.id = id;
    this.wf = wf;
  }

  String ref() {
    return ScriptedLauncher.ref(id);
  }

  void heartbeat(int epoch) {
    wf.trainerCallback(new TrainerCallback(TrainerCallback.Kind.HEARTBEAT, 0, epoch, null));
  }

  void awaitStatus(JobStatus status) {
    awaitState(s -> s.status() == status);
  }

  void awaitState(Predicate<JobStateView> condition) {
    long giveUp = System.currentTimeMillis() + WAIT_MILLIS;
    while (!condition.test(wf.state())) {
      assertThat(System.currentTimeMillis()).as("state reached in time").isLessThan(giveUp);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  JobOutcome result() {
    return WorkflowStub.fromTyped(wf).getResult(JobOutcome.class);
  }
}
