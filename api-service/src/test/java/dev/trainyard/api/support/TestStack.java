package dev.trainyard.api.support;

import dev.trainyard.store.Database;
import dev.trainyard.store.EmbeddedDatabase;
import dev.trainyard.store.access.ApiKeys;
import dev.trainyard.store.access.ProjectDao;
import dev.trainyard.store.access.Role;
import dev.trainyard.store.frameworks.TrainerFrameworkDao;
import dev.trainyard.workflows.JobSearchAttributes;
import dev.trainyard.workflows.TaskQueues;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Real PostgreSQL and a real Temporal test server, started once per test JVM and shared by every
 * test class: the Temporal server listens on a port, as a production one would, and a worker runs
 * {@link RecordingWorkflow} on the training-jobs task queue.
 */
public final class TestStack {
  public static final String JWT_SECRET = "test-secret-that-is-long-enough-for-hs256!";

  /** What the stand-in worker serves, as a real worker registers it; the tests submit these. */
  public static final List<String> FRAMEWORKS = List.of("scripted", "ultralytics");

  public static final String WORKER_ID = "api-test-worker";
  private static TestStack instance;

  public final EmbeddedDatabase database;
  public final Jdbi jdbi;

  /** A global admin key that {@link Http} sends on user routes by default. */
  public final String adminKey;

  /** Projects every test may submit to. */
  public static final List<String> PROJECTS = List.of("proj-1", "proj-2");

  public final String temporalTarget;
  public final TestWorkflowEnvironment temporal;

  private TestStack() {
    database = EmbeddedDatabase.startTemporary();
    jdbi = Database.connect(database.dataSource());
    // The API migrates when it starts, after this; the table must exist before.
    Database.migrate(database.dataSource());
    jdbi.onDemand(TrainerFrameworkDao.class).replace(WORKER_ID, FRAMEWORKS);
    for (String project : PROJECTS) {
      jdbi.onDemand(ProjectDao.class).create(project, "test-stack");
    }
    adminKey = ApiKeys.issue(jdbi, "test-admin", null, Role.ADMIN, null, "test-stack").key();
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
