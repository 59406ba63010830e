package dev.trainyard.worker;

import dev.trainyard.workflows.JobStore;
import dev.trainyard.workflows.TaskQueues;
import dev.trainyard.workflows.TrainerLauncher;
import dev.trainyard.workflows.TrainingJobWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Temporal worker for training jobs: polls {@link TaskQueues#TRAINING_JOBS} for the job workflow,
 * the job store (which the workflow calls as a local activity) and the trainer launcher. Any number
 * of these can run against one Temporal cluster to scale out.
 */
public final class TrainyardWorker implements AutoCloseable {
  /** Long enough for in-flight tasks to finish; trainers keep running regardless. */
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(TrainyardWorker.class);

  private final WorkerFactory factory;

  private TrainyardWorker(WorkerFactory factory) {
    this.factory = factory;
  }

  /** Registers the workflow and activities and starts polling. */
  public static TrainyardWorker start(
      WorkflowClient client, JobStore jobStore, TrainerLauncher launcher) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(jobStore, "jobStore");
    Objects.requireNonNull(launcher, "launcher");
    WorkerFactory factory = WorkerFactory.newInstance(client);
    Worker worker = factory.newWorker(TaskQueues.TRAINING_JOBS);
    worker.registerWorkflowImplementationTypes(TrainingJobWorkflowImpl.class);
    // One registration serves both the local-activity (job store) and normal-activity calls.
    worker.registerActivitiesImplementations(jobStore, launcher);
    factory.start();
    log.info("worker polling task queue {}", TaskQueues.TRAINING_JOBS);
    return new TrainyardWorker(factory);
  }

  public WorkerFactory factory() {
    return factory;
  }

  public boolean isRunning() {
    return factory.isStarted() && !factory.isShutdown();
  }

  /** Stops polling, lets in-flight tasks finish within {@link #SHUTDOWN_GRACE}, then interrupts. */
  @Override
  public void close() {
    if (factory.isShutdown()) {
      return;
    }
    log.info("worker shutting down");
    factory.shutdown();
    factory.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    if (!factory.isTerminated()) {
      log.warn("worker tasks still running after {}; interrupting them", SHUTDOWN_GRACE);
      factory.shutdownNow();
      factory.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
