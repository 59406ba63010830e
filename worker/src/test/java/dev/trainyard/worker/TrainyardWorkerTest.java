package dev.trainyard.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.activities.CallbackTokenIssuer;
import dev.trainyard.activities.JdbiJobStore;
import dev.trainyard.activities.LocalLauncherConfig;
import dev.trainyard.activities.LocalTrainerLauncher;
import dev.trainyard.store.Database;
import dev.trainyard.workflows.TaskQueues;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainyardWorkerTest {
  final TestWorkflowEnvironment testEnv = TestWorkflowEnvironment.newInstance();

  @TempDir Path jobs;

  @AfterEach
  void closeEnvironment() {
    testEnv.close();
  }

  @Test
  void pollsTheTrainingQueueUntilClosed() {
    // Nothing here touches the database or starts a trainer: Jdbi connects lazily. Configured as
    // every process configures it: the store prepares its SQL objects when it is made.
    JdbiJobStore store =
        new JdbiJobStore(Database.configure(Jdbi.create("jdbc:postgresql://127.0.0.1:1/unused")));
    LocalTrainerLauncher launcher =
        new LocalTrainerLauncher(
            LocalLauncherConfig.withDefaultCommand(List.of("true"), jobs, "http://localhost:8080"),
            new CallbackTokenIssuer(
                "a-test-secret-of-at-least-thirty-two-bytes".getBytes(StandardCharsets.UTF_8)));

    TrainyardWorker worker = TrainyardWorker.start(testEnv.getWorkflowClient(), store, launcher);

    assertThat(worker.isRunning()).isTrue();
    assertThat(worker.factory().isStarted()).isTrue();
    assertThat(worker.factory().tryGetWorker(TaskQueues.TRAINING_JOBS)).isNotNull();

    worker.close();
    assertThat(worker.isRunning()).isFalse();
    assertThat(worker.factory().isTerminated()).isTrue();
    worker.close();
  }
}
