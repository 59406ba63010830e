package dev.trainyard.api.temporal;

import com.google.protobuf.Timestamp;
import dev.trainyard.workflows.TaskQueues;
import dev.trainyard.workflows.messages.JobStateView;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.QueryRejectCondition;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverterException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reads a job's workflow for {@code explain}: DescribeWorkflowExecution (status, pending activities
 * with their attempts and last failures) and the workflow's {@code state} query. Straight on the
 * service stubs, each call bounded by {@link #ASK_WITHIN}: explain must answer promptly from the
 * database when Temporal is down or no worker answers queries, not wait out the client's retries.
 * Changes nothing, so unlike {@link JobWorkflows} it never throws for an unreachable Temporal.
 */
public final class WorkflowInspector {
  /** How long each call may take; a query waits for a worker to answer it. */
  static final Duration ASK_WITHIN = Duration.ofSeconds(3);

  private static final int MAX_FAILURE_CHARS = 1_000;

  private final WorkflowClient client;

  public WorkflowInspector(WorkflowClient client) {
    this.client = client;
  }

  /** The workflow of job {@code jobId}; its state query only when it still runs. */
  public WorkflowSnapshot inspect(long jobId) {
    String workflowId = TaskQueues.workflowId(jobId);
    String namespace = client.getOptions().getNamespace();
    DescribeWorkflowExecutionResponse described;
    try {
      described =
          stub()
              .describeWorkflowExecution(
                  DescribeWorkflowExecutionRequest.newBuilder()
                      .setNamespace(namespace)
                      .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                      .build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return WorkflowSnapshot.missing(
            "Temporal has no workflow "
                + workflowId
                + " (removed after the namespace's retention period, or never started)");
      }
      return WorkflowSnapshot.unreachable("Temporal could not be asked: " + describe(e));
    }
    var info = described.getWorkflowExecutionInfo();
    String status = statusName(info.getStatus().name());
    List<WorkflowSnapshot.Activity> activities =
        described.getPendingActivitiesList().stream().map(WorkflowInspector::activity).toList();
    Instant taskScheduled =
        described.hasPendingWorkflowTask()
            ? instant(described.getPendingWorkflowTask().getScheduledTime())
            : null;
    JobStateView state = null;
    String stateProblem = null;
    if ("running".equals(status)) {
      try {
        state = queryState(namespace, workflowId);
      } catch (StatusRuntimeException e) {
        stateProblem =
            e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED
                ? "the workflow did not answer its state query within "
                    + ASK_WITHIN.toSeconds()
                    + " s: is a worker polling task queue "
                    + info.getTaskQueue()
                    + "?"
                : "the workflow's state query failed: " + describe(e);
      } catch (DataConverterException e) {
        stateProblem = "the workflow's state query answered in a shape this API cannot read";
      }
    }
    return new WorkflowSnapshot(
        true,
        null,
        status,
        info.getExecution().getRunId(),
        info.getHistoryLength(),
        activities,
        taskScheduled,
        state,
        stateProblem);
  }

  private JobStateView queryState(String namespace, String workflowId) {
    QueryWorkflowResponse answer =
        stub()
            .queryWorkflow(
                QueryWorkflowRequest.newBuilder()
                    .setNamespace(namespace)
                    .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                    .setQuery(WorkflowQuery.newBuilder().setQueryType("state"))
                    .setQueryRejectCondition(QueryRejectCondition.QUERY_REJECT_CONDITION_NOT_OPEN)
                    .build());
    if (answer.hasQueryRejected()) {
      return null; // closed between the describe and the query: nothing is awaited any more
    }
    return client
        .getOptions()
        .getDataConverter()
        .fromPayloads(
            0, Optional.of(answer.getQueryResult()), JobStateView.class, JobStateView.class);
  }

  private WorkflowServiceBlockingStub stub() {
    return client
        .getWorkflowServiceStubs()
        .blockingStub()
        .withDeadlineAfter(ASK_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static WorkflowSnapshot.Activity activity(PendingActivityInfo a) {
    return new WorkflowSnapshot.Activity(
        a.getActivityType().getName(),
        a.getState().name().replace("PENDING_ACTIVITY_STATE_", "").toLowerCase(Locale.ROOT),
        a.getAttempt(),
        a.getMaximumAttempts(),
        a.hasLastFailure() ? failure(a.getLastFailure()) : null,
        a.hasLastHeartbeatTime() ? instant(a.getLastHeartbeatTime()) : null,
        a.hasLastStartedTime() ? instant(a.getLastStartedTime()) : null,
        a.hasNextAttemptScheduleTime() ? instant(a.getNextAttemptScheduleTime()) : null,
        a.getLastWorkerIdentity().isEmpty() ? null : a.getLastWorkerIdentity());
  }

  /** The failure's message and, when it has one, its root cause's: "what: why". */
  private static String failure(Failure failure) {
    String text = failure.getMessage();
    Failure root = failure;
    while (root.hasCause()) {
      root = root.getCause();
    }
    if (root != failure && !root.getMessage().isBlank() && !text.contains(root.getMessage())) {
      text = text + ": " + root.getMessage();
    }
    return text.length() <= MAX_FAILURE_CHARS ? text : text.substring(0, MAX_FAILURE_CHARS) + "…";
  }

  private static String describe(StatusRuntimeException e) {
    String detail = e.getStatus().getDescription();
    return e.getStatus().getCode() + (detail == null ? "" : " (" + detail + ")");
  }

  /** WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW as continued_as_new. */
  private static String statusName(String protoName) {
    return protoName.replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase(Locale.ROOT);
  }

  private static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }
}
