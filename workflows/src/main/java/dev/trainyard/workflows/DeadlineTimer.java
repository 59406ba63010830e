package dev.trainyard.workflows;

import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * At most one pending durable timer, for the job's earliest deadline. A later deadline keeps the
 * pending timer (when it fires, the caller recomputes and re-arms); only an earlier one replaces
 * it. So a stream of heartbeats costs no timers at all, unlike {@code Workflow.await(timeout, …)},
 * which leaves an uncancelled timer behind at every wake-up.
 */
final class DeadlineTimer {
  private CancellationScope scope;
  private Promise<Void> timer;
  private long deadlineMillis;

  void arm(long deadlineMillis) {
    if (timer != null && !timer.isCompleted() && this.deadlineMillis <= deadlineMillis) {
      return;
    }
    cancel();
    this.deadlineMillis = deadlineMillis;
    Duration delay = Duration.ofMillis(Math.max(1, deadlineMillis - Workflow.currentTimeMillis()));
    scope = Workflow.newCancellationScope(() -> timer = Workflow.newTimer(delay));
    scope.run();
  }

  boolean fired() {
    return timer != null && timer.isCompleted();
  }

  void cancel() {
    if (scope != null && timer != null && !timer.isCompleted()) {
      scope.cancel();
    }
    timer = null;
  }
}
