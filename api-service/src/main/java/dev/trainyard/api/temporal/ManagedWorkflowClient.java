package dev.trainyard.api.temporal;

import io.dropwizard.lifecycle.Managed;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.concurrent.TimeUnit;

/** Closes the Temporal connection when the server stops, after in-flight requests drained. */
public final class ManagedWorkflowClient implements Managed {
  private final WorkflowServiceStubs stubs;

  public ManagedWorkflowClient(WorkflowServiceStubs stubs) {
    this.stubs = stubs;
  }

  @Override
  public void stop() throws InterruptedException {
    stubs.shutdown();
    if (!stubs.awaitTermination(5, TimeUnit.SECONDS)) {
      stubs.shutdownNow();
    }
  }
}
