package dev.trainyard.api.explain;

import dev.trainyard.api.explain.Explanation.Activity;
import dev.trainyard.api.jobs.JobView;
import dev.trainyard.api.temporal.WorkflowSnapshot;
import java.util.Map;

/** A pending activity of the job's workflow, with what it does in words. */
final class ActivityWords {
  /** The {@code TrainerLauncher} methods, as Temporal names their activity types. */
  private static final Map<String, String> WHAT =
      Map.of(
          "Launch", "launch the trainer",
          "AwaitExit", "watch the trainer until it exits",
          "Stop", "stop the trainer");

  private ActivityWords() {}

  static Activity of(WorkflowSnapshot.Activity a) {
    return new Activity(
        a.activityType(),
        WHAT.get(a.activityType()),
        a.state(),
        a.attempt(),
        a.maximumAttempts(),
        a.lastFailure(),
        JobView.iso(a.lastHeartbeatAt()),
        JobView.iso(a.lastStartedAt()),
        JobView.iso(a.nextAttemptAt()),
        a.lastWorker());
  }
}
