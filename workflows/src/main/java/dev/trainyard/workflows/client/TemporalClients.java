package dev.trainyard.workflows.client;

import com.uber.m3.tally.Scope;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.RpcRetryOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;

/**
 * How every Trainyard process (API, worker, dev stack, bench, e2e) reaches Temporal: service stubs
 * to one frontend ({@code host:port}) and a workflow client for one namespace over them. The stubs
 * connect lazily, so a process may start before Temporal does. The caller owns the connection and
 * shuts it down through {@link WorkflowClient#getWorkflowServiceStubs()}.
 */
public final class TemporalClients {
  private TemporalClients() {}

  /** A client with the SDK's default RPC timeouts and retries. */
  public static WorkflowClient connect(String target, String namespace) {
    return client(stubs(target), namespace);
  }

  /**
   * As {@link #connect(String, String)}, reporting the SDK's metrics (the client's RPCs and those
   * of every worker built on it) to {@code metrics} ({@link TemporalMetrics#scope}).
   */
  public static WorkflowClient connect(String target, String namespace, Scope metrics) {
    return client(
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(target)
                .setMetricsScope(metrics)
                .build()),
        namespace);
  }

  /**
   * A client whose calls give up sooner than the SDK's: {@code rpcTimeout} per call, and retries of
   * an unreachable server for at most {@code rpcRetryTimeout} (the SDK's default would hold a
   * caller for a minute). {@code metrics}: the SDK's metrics, as in {@link #connect(String, String,
   * Scope)}.
   */
  public static WorkflowClient connect(
      String target,
      String namespace,
      Duration rpcTimeout,
      Duration rpcRetryTimeout,
      Scope metrics) {
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(target)
                .setMetricsScope(metrics)
                .setRpcTimeout(rpcTimeout)
                .setRpcRetryOptions(
                    RpcRetryOptions.newBuilder()
                        .setExpiration(rpcRetryTimeout)
                        .validateBuildWithDefaults())
                .build());
    return client(stubs, namespace);
  }

  /** Bare service stubs, for callers that query the service directly and start no workflow. */
  public static WorkflowServiceStubs stubs(String target) {
    return WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
  }

  private static WorkflowClient client(WorkflowServiceStubs stubs, String namespace) {
    return WorkflowClient.newInstance(
        stubs, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
  }
}
