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
  void aLaterAttemptFacesItsStartupTimeoutFromItsOwnLaunchUntilItsFirstCallback() {
    TrainingJobState state = state(JobStatus.RUNNING);
    state.launchedAtMillis = 1_000;
    state.startedAtMillis = 2_000;
    state.lastCallbackAtMillis = 50_000;
    state.attempt = 2;
    state.attemptLaunchedAtMillis = 100_000;
    assertThat(JobDeadlines.next(state, timeouts))
        .isEqualTo(new JobDeadlines.Deadline(Kind.STARTUP, 400_000));

    state.attemptCallbacks = 1;
    state.lastCallbackAtMillis = 110_000;
    assertThat(JobDeadlines.next(state, timeouts))
        .isEqualTo(new JobDeadlines.Deadline(Kind.HEARTBEAT, 170_000));
  }

  @Test
  void betweenAttemptsOnlyTheNextAttemptAndTheMaxRuntimeCount() {
    TrainingJobState state = state(JobStatus.RUNNING);
    state.startedAtMillis = 0;
    state.lastCallbackAtMillis = 0; // long silent: no heartbeat deadline between attempts
    state.nextAttemptAtMillis = 500_000;
    assertThat(JobDeadlines.next(state, timeouts))
        .isEqualTo(new JobDeadlines.Deadline(Kind.NEXT_ATTEMPT, 500_000));

    state.nextAttemptAtMillis = 3_700_000;
    assertThat(JobDeadlines.next(state, timeouts).kind()).isEqualTo(Kind.RUNTIME);

    TrainingJobState pending = state(JobStatus.PENDING);
    pending.nextAttemptAtMillis = 20_000;
    assertThat(JobDeadlines.next(pending, timeouts))
        .isEqualTo(new JobDeadlines.Deadline(Kind.NEXT_ATTEMPT, 20_000));
    assertThat(Kind.fromWire("next_attempt")).isEqualTo(Kind.NEXT_ATTEMPT);
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
