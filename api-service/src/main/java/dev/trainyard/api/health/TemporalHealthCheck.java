package dev.trainyard.api.health;

import com.codahale.metrics.health.HealthCheck;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Whether submits and callbacks can reach Temporal: the namespace the API starts and signals
 * workflows in is described within a short deadline. Not fatal: while Temporal is away the API
 * still serves reads, and heartbeats of running jobs are stored (docs/operations.md).
 */
final class TemporalHealthCheck extends HealthCheck {
  private final WorkflowServiceStubs stubs;
  private final String target;
  private final String namespace;
  private final Duration deadline;

  TemporalHealthCheck(
      WorkflowServiceStubs stubs, String target, String namespace, Duration deadline) {
    this.stubs = stubs;
    this.target = target;
    this.namespace = namespace;
    this.deadline = deadline;
  }

  @Override
  protected Result check() {
    try {
      stubs
          .blockingStub()
          .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
          .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(namespace).build());
      return Result.healthy("namespace " + namespace + " at " + target);
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      if (code == Status.Code.NOT_FOUND) {
        return Result.unhealthy(
            "Temporal at "
                + target
                + " has no namespace "
                + namespace
                + " (temporal-config/register.sh creates it)");
      }
      return Result.unhealthy(
          "Temporal at "
              + target
              + " unreachable: "
              + code
              + (e.getStatus().getDescription() == null
                  ? ""
                  : " (" + e.getStatus().getDescription() + ")"));
    }
  }
}
