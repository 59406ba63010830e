package dev.trainyard.workflows;

import dev.trainyard.workflows.messages.JobTimeouts;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** Activity stubs with the timeouts and retry policies each call needs. */
final class WorkflowActivities {
  /**
   * Status writes are short database calls: a local activity, retried until the database is back.
   */
  static JobStore jobStore() {
    return Workflow.newLocalActivityStub(
        JobStore.class,
        LocalActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofSeconds(10))
            .setScheduleToCloseTimeout(Duration.ofHours(1))
            .setRetryOptions(
                RetryOptions.newBuilder()
                    .setInitialInterval(Duration.ofMillis(200))
                    .setMaximumInterval(Duration.ofSeconds(5))
                    .setDoNotRetry(FailureTypes.INVALID_TRANSITION)
                    .build())
            .build());
  }

  /** Launch: a few attempts; a rejected launch (bad command, bad spec) is not retried. */
  static TrainerLauncher launcher() {
    return Workflow.newActivityStub(
        TrainerLauncher.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(5))
            .setRetryOptions(
                RetryOptions.newBuilder()
                    .setInitialInterval(Duration.ofSeconds(1))
                    .setMaximumAttempts(5)
                    .setDoNotRetry(FailureTypes.LAUNCH_REJECTED)
                    .build())
            .build());
  }

  /**
   * Watching the trainer lasts as long as the job. Its heartbeat timeout covers only the watcher's
   * own liveness (a dead worker is replaced within it); the trainer's liveness is the callbacks'.
   */
  static TrainerLauncher watcher(JobTimeouts timeouts) {
    long seconds = timeouts.startupTimeoutSeconds() + timeouts.maxRuntimeSeconds() + 3600;
    return Workflow.newActivityStub(
        TrainerLauncher.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofSeconds(seconds))
            .setHeartbeatTimeout(Duration.ofSeconds(30))
            .setCancellationType(ActivityCancellationType.TRY_CANCEL)
            .setRetryOptions(
                RetryOptions.newBuilder()
                    .setInitialInterval(Duration.ofSeconds(1))
                    .setMaximumInterval(Duration.ofSeconds(10))
                    .build())
            .build());
  }

  /** Stopping must eventually happen: retried without limit, each try bounded by the grace. */
  static TrainerLauncher stopper(long graceSeconds) {
    return Workflow.newActivityStub(
        TrainerLauncher.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofSeconds(graceSeconds + 60))
            .setScheduleToCloseTimeout(Duration.ofMinutes(30))
            .setRetryOptions(
                RetryOptions.newBuilder()
                    .setInitialInterval(Duration.ofSeconds(1))
                    .setMaximumInterval(Duration.ofSeconds(30))
                    .build())
            .build());
  }

  private WorkflowActivities() {}
}
