package dev.trainyard.workflows.client;

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
   * A client whose calls give up sooner than the SDK's: {@code rpcTimeout} per call, and retries of
   * an unreachable server for at most {@code rpcRetryTimeout} (the SDK's default would hold a
   * caller for a minute).
   */
  public static WorkflowClient connect(
      String target, String namespace, Duration rpcTimeout, Duration rpcRetryTimeout) {
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(target)
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
