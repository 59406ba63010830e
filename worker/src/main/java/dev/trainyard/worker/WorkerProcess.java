package dev.trainyard.worker;

import dev.trainyard.activities.CallbackTokenIssuer;
import dev.trainyard.activities.JdbiJobStore;
import dev.trainyard.activities.LocalLauncherConfig;
import dev.trainyard.activities.LocalTrainerLauncher;
import dev.trainyard.activities.kubernetes.KubernetesTrainerLauncher;
import dev.trainyard.activities.logs.TrainerLogArchiver;
import dev.trainyard.store.Database;
import dev.trainyard.worker.admin.WorkerAdminServer;
import dev.trainyard.worker.admin.WorkerHealth;
import dev.trainyard.worker.config.AdminSettings;
import dev.trainyard.worker.config.KubernetesLauncherFactory;
import dev.trainyard.worker.config.WorkerConfiguration;
import dev.trainyard.worker.metrics.MeteredTrainerLauncher;
import dev.trainyard.worker.metrics.TransitionMeters;
import dev.trainyard.worker.metrics.WorkerMetrics;
import dev.trainyard.workflows.TrainerLauncher;
import dev.trainyard.workflows.client.TemporalClients;
import io.dropwizard.db.ManagedDataSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.temporal.client.WorkflowClient;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A worker process's parts, built from its configuration and closed in reverse order. */
public final class WorkerProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerProcess.class);

  /** Newest first: the admin port, the worker, its registration, clients, metrics, database. */
  private final Deque<AutoCloseable> parts;

  private final WorkerAdminServer admin;

  private WorkerProcess(Deque<AutoCloseable> parts, WorkerAdminServer admin) {
    this.parts = parts;
    this.admin = admin;
  }

  public static WorkerProcess start(WorkerConfiguration config) throws Exception {
    Deque<AutoCloseable> parts = new ArrayDeque<>();
    ManagedDataSource dataSource = config.database().build("trainyard-worker");
    dataSource.start();
    parts.push(dataSource::stop);
    try {
      LogArchiving logArchiving = logArchiving(config);
      // closed after the worker (pushed before it): its last activities queue the last copies
      parts.push(logArchiving);
      Database.migrate(dataSource);
      Jdbi jdbi = Database.connect(dataSource);
      WorkerMetrics metrics = WorkerMetrics.start();
      parts.push(metrics);
      WorkflowClient client =
          TemporalClients.connect(
              config.temporal().target(), config.temporal().namespace(), metrics.temporalScope());
      parts.push(client.getWorkflowServiceStubs()::shutdown);
      TrainerLauncher launcher;
      Set<String> frameworks;
      if (config.launcher().isKubernetes()) {
        KubernetesLauncherFactory settings = config.launcher().kubernetes();
        KubernetesClient kubernetes = settings.client();
        parts.push(kubernetes);
        frameworks = ServedFrameworks.of(settings.launcher());
        launcher =
            new KubernetesTrainerLauncher(
                kubernetes,
                settings.launcher(),
                new CallbackTokenIssuer(config.jwtSecretBytes()),
                logArchiving.archiver());
        log.info(
            "worker launches trainers as Kubernetes Jobs in namespace {} of {}",
            settings.launcher().namespace(),
            kubernetes.getMasterUrl());
      } else {
        LocalLauncherConfig local = config.launcher().local();
        frameworks = ServedFrameworks.of(local);
        launcher =
            new LocalTrainerLauncher(
                local, new CallbackTokenIssuer(config.jwtSecretBytes()), logArchiving.archiver());
      }
      // Registered before polling starts: a job the API accepts meanwhile waits in the queue.
      parts.push(register(jdbi, frameworks));
      parts.push(
          TrainyardWorker.start(
              client,
              new JdbiJobStore(jdbi, new TransitionMeters(metrics.registry())),
              metered(launcher, metrics)));
      WorkerAdminServer admin = startAdmin(config.admin(), client, jdbi, metrics, parts);
      log.info(
          "worker connected to Temporal {} (namespace {}) and {}",
          config.temporal().target(),
          config.temporal().namespace(),
          config.database().url());
      return new WorkerProcess(parts, admin);
    } catch (Exception | Error e) {
      closeAll(parts);
      throw e;
    }
  }

  private static LogArchiving logArchiving(WorkerConfiguration config) {
    if (config.storage() == null) {
      log.warn("no storage block: trainer logs stay only where the trainers write them");
      return LogArchiving.off();
    }
    log.info(
        "trainer logs archived to {} every {}",
        config.storage(),
        config.logs().archive().interval());
    return LogArchiving.to(config.storage(), config.logs().archive().interval());
  }

  /** The admin port, started once the worker polls: a probe that passes means it does. */
  private static WorkerAdminServer startAdmin(
      AdminSettings settings,
      WorkflowClient client,
      Jdbi jdbi,
      WorkerMetrics metrics,
      Deque<AutoCloseable> parts)
      throws java.io.IOException {
    if (!settings.enabled()) {
      log.info("worker admin port is off (admin.port 0): no /healthcheck, no /metrics");
      return null;
    }
    WorkerHealth health = new WorkerHealth(client.getWorkflowServiceStubs(), jdbi);
    parts.push(health);
    WorkerAdminServer admin =
        WorkerAdminServer.start(settings.bindHost(), settings.port(), health, metrics.registry());
    parts.push(admin);
    return admin;
  }

  /**
   * The worker's activities on PostgreSQL and local trainer processes, metered into {@code
   * metrics}; shared with the dev stack, whose client must report to the same {@code metrics}.
   */
  public static TrainyardWorker startWorker(
      WorkflowClient client,
      Jdbi jdbi,
      LocalLauncherConfig launcher,
      byte[] jwtSecret,
      WorkerMetrics metrics,
      TrainerLogArchiver archiver) {
    return TrainyardWorker.start(
        client,
        new JdbiJobStore(jdbi, new TransitionMeters(metrics.registry())),
        metered(
            new LocalTrainerLauncher(launcher, new CallbackTokenIssuer(jwtSecret), archiver),
            metrics));
  }

  private static TrainerLauncher metered(TrainerLauncher launcher, WorkerMetrics metrics) {
    String runtime =
        launcher instanceof KubernetesTrainerLauncher
            ? KubernetesTrainerLauncher.RUNTIME
            : LocalTrainerLauncher.RUNTIME;
    return new MeteredTrainerLauncher(launcher, runtime, metrics.registry());
  }

  private static FrameworkRegistration register(Jdbi jdbi, Set<String> frameworks) {
    return FrameworkRegistration.start(jdbi, FrameworkRegistration.processWorkerId(), frameworks);
  }

  /** The admin port's, when it is on (tests that start on port 0 read it here). */
  public java.util.OptionalInt adminPort() {
    return admin == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(admin.port());
  }

  @Override
  public void close() throws Exception {
    closeAll(parts);
  }

  private static void closeAll(Deque<AutoCloseable> parts) throws Exception {
    Exception first = null;
    while (!parts.isEmpty()) {
      try {
        parts.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
