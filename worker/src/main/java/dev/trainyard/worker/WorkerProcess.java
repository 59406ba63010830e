package dev.trainyard.worker;

import dev.trainyard.activities.CallbackTokenIssuer;
import dev.trainyard.activities.JdbiJobStore;
import dev.trainyard.activities.LocalLauncherConfig;
import dev.trainyard.activities.LocalTrainerLauncher;
import dev.trainyard.activities.kubernetes.KubernetesTrainerLauncher;
import dev.trainyard.activities.logs.TrainerLogArchiver;
import dev.trainyard.store.Database;
import dev.trainyard.worker.config.KubernetesLauncherFactory;
import dev.trainyard.worker.config.WorkerConfiguration;
import dev.trainyard.workflows.client.TemporalClients;
import io.dropwizard.db.ManagedDataSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A worker process's parts, built from its configuration and closed in reverse order. */
public final class WorkerProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerProcess.class);

  private final ManagedDataSource dataSource;
  private final WorkflowServiceStubs stubs;
  private final TrainyardWorker worker;
  private final FrameworkRegistration registration;
  private final LogArchiving logArchiving;

  /** The Kubernetes client of a kubernetes launcher; null for the local one. */
  private final AutoCloseable launcherClient;

  private WorkerProcess(
      ManagedDataSource dataSource,
      WorkflowServiceStubs stubs,
      TrainyardWorker worker,
      FrameworkRegistration registration,
      LogArchiving logArchiving,
      AutoCloseable launcherClient) {
    this.dataSource = dataSource;
    this.stubs = stubs;
    this.worker = worker;
    this.registration = registration;
    this.logArchiving = logArchiving;
    this.launcherClient = launcherClient;
  }

  public static WorkerProcess start(WorkerConfiguration config) throws Exception {
    ManagedDataSource dataSource = config.database().build("trainyard-worker");
    dataSource.start();
    WorkflowServiceStubs stubs = null;
    // Registered before polling starts: a job the API accepts meanwhile waits in the queue.
    FrameworkRegistration registration = null;
    LogArchiving logArchiving = LogArchiving.off();
    try {
      if (config.storage() != null) {
        logArchiving = LogArchiving.to(config.storage(), config.logs().archive().interval());
        log.info(
            "trainer logs archived to {} every {}",
            config.storage(),
            config.logs().archive().interval());
      } else {
        log.warn("no storage block: trainer logs stay only where the trainers write them");
      }
      Database.migrate(dataSource);
      Jdbi jdbi = Database.connect(dataSource);
      WorkflowClient client =
          TemporalClients.connect(config.temporal().target(), config.temporal().namespace());
      stubs = client.getWorkflowServiceStubs();
      if (config.launcher().isKubernetes()) {
        KubernetesLauncherFactory settings = config.launcher().kubernetes();
        KubernetesClient kubernetes = settings.client();
        registration = register(jdbi, ServedFrameworks.of(settings.launcher()));
        TrainyardWorker worker =
            TrainyardWorker.start(
                client,
                new JdbiJobStore(jdbi),
                new KubernetesTrainerLauncher(
                    kubernetes,
                    settings.launcher(),
                    new CallbackTokenIssuer(config.jwtSecretBytes()),
                    logArchiving.archiver()));
        log.info(
            "worker launches trainers as Kubernetes Jobs in namespace {} of {}",
            settings.launcher().namespace(),
            kubernetes.getMasterUrl());
        return new WorkerProcess(dataSource, stubs, worker, registration, logArchiving, kubernetes);
      }
      LocalLauncherConfig launcher = config.launcher().local();
      registration = register(jdbi, ServedFrameworks.of(launcher));
      TrainyardWorker worker =
          startWorker(client, jdbi, launcher, config.jwtSecretBytes(), logArchiving.archiver());
      log.info(
          "worker connected to Temporal {} (namespace {}) and {}",
          config.temporal().target(),
          config.temporal().namespace(),
          config.database().url());
      return new WorkerProcess(dataSource, stubs, worker, registration, logArchiving, null);
    } catch (RuntimeException e) {
      if (registration != null) {
        registration.close();
      }
      logArchiving.close();
      if (stubs != null) {
        stubs.shutdownNow();
      }
      dataSource.stop();
      throw e;
    }
  }

  /**
   * The worker's activities on PostgreSQL and local trainer processes; shared with the dev stack.
   */
  public static TrainyardWorker startWorker(
      WorkflowClient client,
      Jdbi jdbi,
      LocalLauncherConfig launcher,
      byte[] jwtSecret,
      TrainerLogArchiver archiver) {
    return TrainyardWorker.start(
        client,
        new JdbiJobStore(jdbi),
        new LocalTrainerLauncher(launcher, new CallbackTokenIssuer(jwtSecret), archiver));
  }

  private static FrameworkRegistration register(Jdbi jdbi, Set<String> frameworks) {
    return FrameworkRegistration.start(jdbi, FrameworkRegistration.processWorkerId(), frameworks);
  }

  @Override
  public void close() throws Exception {
    registration.close();
    worker.close();
    logArchiving.close(); // after the worker: its last activities queue the last copies
    if (launcherClient != null) {
      launcherClient.close();
    }
    stubs.shutdown();
    dataSource.stop();
  }
}
