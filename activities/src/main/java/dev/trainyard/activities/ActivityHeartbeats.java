package dev.trainyard.activities;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;

/**
 * Rate-limited activity heartbeats for the launcher's long waits. They tell Temporal this activity
 * is still working (and deliver its cancellation); they say nothing about the trainer's liveness,
 * which comes from the trainer's own callbacks.
 */
public final class ActivityHeartbeats {
  static final long INTERVAL_NANOS = 2_000_000_000L;

  private final ActivityExecutionContext context;
  private long lastBeat = System.nanoTime() - INTERVAL_NANOS;

  private ActivityHeartbeats(ActivityExecutionContext context) {
    this.context = context;
  }

  /** Heartbeats of the current activity; none when called outside one (tools, direct use). */
  public static ActivityHeartbeats current() {
    try {
      return new ActivityHeartbeats(Activity.getExecutionContext());
    } catch (IllegalStateException notInActivity) {
      return new ActivityHeartbeats(null);
    }
  }

  /** Heartbeats if the interval has passed. Throws if the activity was cancelled or timed out. */
  public void beat(String details) {
    long now = System.nanoTime();
    if (context != null && now - lastBeat >= INTERVAL_NANOS) {
      lastBeat = now;
      context.heartbeat(details);
    }
  }
}
