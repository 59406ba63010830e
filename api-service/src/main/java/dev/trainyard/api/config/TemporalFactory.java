package dev.trainyard.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.uber.m3.tally.Scope;
import dev.trainyard.api.temporal.ManagedWorkflowClient;
import dev.trainyard.workflows.client.TemporalClients;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.temporal.client.WorkflowClient;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.util.concurrent.TimeUnit;

/**
 * Where the Temporal frontend is. The stubs connect lazily, so the API can start before Temporal
 * does; {@code rpcRetryTimeout} bounds how long one submit or callback waits for an unreachable
 * server before the caller is told 503 (the SDK default would hold the request for a minute).
 */
public class TemporalFactory {
  @NotBlank
  @Pattern(regexp = "^[^\\s:]+:\\d{1,5}$", message = "must be host:port")
  private String target = "localhost:7233";

  @NotBlank private String namespace = "default";

  @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
  private Duration rpcTimeout = Duration.seconds(10);

  @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
  private Duration rpcRetryTimeout = Duration.seconds(5);

  @JsonProperty
  public String getTarget() {
    return target;
  }

  @JsonProperty
  public void setTarget(String target) {
    this.target = target;
  }

  @JsonProperty
  public String getNamespace() {
    return namespace;
  }

  @JsonProperty
  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  @JsonProperty
  public Duration getRpcTimeout() {
    return rpcTimeout;
  }

  @JsonProperty
  public void setRpcTimeout(Duration rpcTimeout) {
    this.rpcTimeout = rpcTimeout;
  }

  @JsonProperty
  public Duration getRpcRetryTimeout() {
    return rpcRetryTimeout;
  }

  @JsonProperty
  public void setRpcRetryTimeout(Duration rpcRetryTimeout) {
    this.rpcRetryTimeout = rpcRetryTimeout;
  }

  /**
   * Builds the client and hands its lifecycle to Dropwizard (closed on shutdown). {@code metrics}:
   * where the SDK reports (ApiMetrics#temporalScope).
   */
  public WorkflowClient build(Environment environment, Scope metrics) {
    WorkflowClient client =
        TemporalClients.connect(
            target,
            namespace,
            rpcTimeout.toJavaDuration(),
            rpcRetryTimeout.toJavaDuration(),
            metrics);
    environment.lifecycle().manage(new ManagedWorkflowClient(client.getWorkflowServiceStubs()));
    return client;
  }
}
