package dev.trainyard.api.temporal;

import dev.trainyard.workflows.messages.JobStateView;
import java.time.Instant;
import java.util.List;

/**
 * What Temporal said about a job's workflow when asked: its execution (status, history length), its
 * pending activities and workflow task, and the answer to its {@code state} query. {@code problem}
 * says why something is missing: Temporal could not be reached ({@code reachable} false), has no
 * such workflow, or the query got no answer ({@code state} null).
 */
public record WorkflowSnapshot(
    boolean reachable,
    String problem,
    String status,
    String runId,
    long historyLength,
    List<Activity> pendingActivities,
    Instant workflowTaskScheduledAt,
    JobStateView state,
    String stateProblem) {

  /** One pending activity as DescribeWorkflowExecution reports it. */
  public record Activity(
      String activityType,
      String state,
      int attempt,
      int maximumAttempts,
      String lastFailure,
      Instant lastHeartbeatAt,
      Instant lastStartedAt,
      Instant nextAttemptAt,
      String lastWorker) {}

  static WorkflowSnapshot unreachable(String problem) {
    return new WorkflowSnapshot(false, problem, null, null, 0, List.of(), null, null, null);
  }

  static WorkflowSnapshot missing(String problem) {
    return new WorkflowSnapshot(true, problem, null, null, 0, List.of(), null, null, null);
  }

  /** Whether the workflow still runs: it may be waiting for something. */
  public boolean open() {
    return "running".equals(status);
  }
}
