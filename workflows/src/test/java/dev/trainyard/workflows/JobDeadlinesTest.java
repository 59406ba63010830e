package dev.trainyard.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.workflows.JobDeadlines.Kind;
import dev.trainyard.workflows.messages.CancelRequest;
import dev.trainyard.workflows.messages.JobTimeouts;
import dev.trainyard.workflows.messages.TrainerExit;
import dev.trainyard.workflows.messages.TrainingJobState;
import org.junit.jupiter.api.Test;

class JobDeadlinesTest {
  private final JobTimeouts timeouts = new JobTimeouts(60, 300, 3_600, 30);

  @Test
  void aQueuedJobFacesItsStartupTimeout() {
    TrainingJobState state = state(JobStatus.QUEUED);
    state.launchedAtMillis = 1_000;

    assertThat(JobDeadlines.next(state, timeouts))
        .isEqualTo(new JobDeadlines.Deadline(Kind.STARTUP, 301_000));
  }

  @Test
  void aRunningJobFacesTheEarlierOfHeartbeatAndRuntime() {
    TrainingJobState state = state(JobStatus.RUNNING);
    state.startedAtMillis = 0;
    state.lastCallbackAtMillis = 10_000;
    assertThat(JobDeadlines.next(state, timeouts).kind()).isEqualTo(Kind.HEARTBEAT);

    state.lastCallbackAtMillis = 3_590_000;
    assertThat(JobDeadlines.next(state, timeouts))
        .isEqualTo(new JobDeadlines.Deadline(Kind.RUNTIME, 3_600_000));
  }

  @Test
  void aCancelGraceAndAnExitGraceComeFirstWhenEarlier() {
    TrainingJobState state = state(JobStatus.RUNNING);
    state.lastCallbackAtMillis = 100_000;
    state.cancel = new CancelRequest("stop", 0);
    state.cancelNoticedAtMillis = 100_000;
    assertThat(JobDeadlines.next(state, timeouts))
        .isEqualTo(new JobDeadlines.Deadline(Kind.CANCEL_GRACE, 130_000));

    state.exit = new TrainerExit(1, "exited", "", 0);
    state.exitNoticedAtMillis = 101_000;
    assertThat(JobDeadlines.next(state, timeouts))
        .isEqualTo(
            new JobDeadlines.Deadline(Kind.EXIT_GRACE, 101_000 + JobDeadlines.EXIT_GRACE_MILLIS));
  }

  @Test
  void pendingAndEndedJobsFaceNoDeadline() {
    assertThat(JobDeadlines.next(state(JobStatus.PENDING), timeouts)).isNull();
    assertThat(JobDeadlines.next(state(JobStatus.SUCCEEDED), timeouts)).isNull();
  }

  private static TrainingJobState state(JobStatus status) {
    TrainingJobState state = new TrainingJobState();
    state.status = status;
    return state;
  }
}
