package dev.trainyard.api.support;

import dev.trainyard.store.Database;
import dev.trainyard.store.EmbeddedDatabase;
import dev.trainyard.workflows.JobSearchAttributes;
import dev.trainyard.workflows.TaskQueues;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.jdbi.v3.core.Jdbi;

/**
 * Real PostgreSQL and a real Temporal test server, started once per test JVM and shared by every
 * test class: the Temporal server listens on a port, as a production one would, and a worker runs
 * {@link RecordingWorkflow} on the training-jobs task queue.
 */
public final class TestStack {
  public static final String JWT_SECRET = "test-secret-that-is-long-enough-for-hs256!";
  private static TestStack instance;

  public final EmbeddedDatabase database;
  public final Jdbi jdbi;
  public final String temporalTarget;
  public final TestWorkflowEnvironment temporal;

  private TestStack() {
    database = EmbeddedDatabase.startTemporary();
    jdbi = Database.connect(database.dataSource());
    int port = freePort();
    TestServer.createPortBoundServer(port);
    temporalTarget = "localhost:" + port;
    temporal =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setUseExternalService(true)
                .setTarget(temporalTarget)
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder().setNamespace("default").build())
                .build());
    JobSearchAttributes.definitions().forEach(temporal::registerSearchAttribute);
    temporal
        .newWorker(TaskQueues.TRAINING_JOBS)
        .registerWorkflowImplementationTypes(RecordingWorkflow.class);
    temporal.start();
  }

  public static synchronized TestStack get() {
    if (instance == null) {
      instance = new TestStack();
    }
    return instance;
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
