package dev.trainyard.app.worker;

import com.codahale.metrics.MetricRegistry;
import dev.trainyard.activities.CallbackTokenIssuer;
import dev.trainyard.activities.JdbiJobStore;
import dev.trainyard.activities.LocalLauncherConfig;
import dev.trainyard.activities.LocalTrainerLauncher;
import dev.trainyard.activities.kubernetes.KubernetesTrainerLauncher;
import dev.trainyard.app.StartupException;
import dev.trainyard.store.Database;
import dev.trainyard.worker.TrainyardWorker;
import dev.trainyard.workflows.client.TemporalClients;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A worker process's parts, built from its configuration and closed in reverse order. */
public final class WorkerProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerProcess.class);

  private final ManagedDataSource dataSource;
  private final WorkflowServiceStubs stubs;
  private final TrainyardWorker worker;

  /** The Kubernetes client of a kubernetes launcher; null for the local one. */
  private AutoCloseable launcherClient;

  private WorkerProcess(
      ManagedDataSource dataSource, WorkflowServiceStubs stubs, TrainyardWorker worker) {
    this.dataSource = dataSource;
    this.stubs = stubs;
    this.worker = worker;
  }

  public static WorkerProcess start(WorkerConfiguration config) throws Exception {
    ManagedDataSource dataSource = dataSource(config.database());
    dataSource.start();
    WorkflowServiceStubs stubs = null;
    try {
      Database.migrate(dataSource);
      Jdbi jdbi = Database.connect(dataSource);
      WorkflowClient client =
          TemporalClients.connect(config.temporal().target(), config.temporal().namespace());
      stubs = client.getWorkflowServiceStubs();
      if (config.launcher().isKubernetes()) {
        KubernetesLauncherSettings settings = config.launcher().kubernetes();
        KubernetesClient kubernetes = settings.client();
        TrainyardWorker worker =
            TrainyardWorker.start(
                client,
                new JdbiJobStore(jdbi),
                new KubernetesTrainerLauncher(
                    kubernetes,
                    settings.toConfig(),
                    new CallbackTokenIssuer(config.jwtSecretBytes())));
        log.info(
            "worker launches trainers as Kubernetes Jobs in namespace {} of {}",
            settings.namespace(),
            kubernetes.getMasterUrl());
        WorkerProcess process = new WorkerProcess(dataSource, stubs, worker);
        process.launcherClient = kubernetes;
        return process;
      }
      TrainyardWorker worker =
          startWorker(client, jdbi, launcherConfig(config), config.jwtSecretBytes());
      log.info(
          "worker connected to Temporal {} (namespace {}) and {}",
          config.temporal().target(),
          config.temporal().namespace(),
          config.database().url());
      return new WorkerProcess(dataSource, stubs, worker);
    } catch (RuntimeException e) {
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
      WorkflowClient client, Jdbi jdbi, LocalLauncherConfig launcher, byte[] jwtSecret) {
    return TrainyardWorker.start(
        client,
        new JdbiJobStore(jdbi),
        new LocalTrainerLauncher(launcher, new CallbackTokenIssuer(jwtSecret)));
  }

  static LocalLauncherConfig launcherConfig(WorkerConfiguration config) {
    WorkerConfiguration.LocalLauncher local = config.launcher().local();
    try {
      return new LocalLauncherConfig(
          local.commands() == null ? Map.of() : local.commands(),
          local.defaultCommand(),
          local.jobsDirectory(),
          local.backendBaseUrl(),
          local.extraEnvironment() == null ? Map.of() : local.extraEnvironment());
    } catch (IllegalArgumentException e) {
      throw new StartupException("worker configuration: launcher.local", e);
    }
  }

  private static ManagedDataSource dataSource(WorkerConfiguration.Database database) {
    DataSourceFactory factory = new DataSourceFactory();
    factory.setDriverClass("org.postgresql.Driver");
    factory.setUrl(database.url());
    factory.setUser(database.user());
    factory.setPassword(database.password());
    int max = database.maxConnections() == null ? 8 : database.maxConnections();
    factory.setMaxSize(max);
    factory.setMinSize(1);
    factory.setInitialSize(1);
    return factory.build(new MetricRegistry(), "trainyard-worker");
  }

  @Override
  public void close() throws Exception {
    worker.close();
    if (launcherClient != null) {
      launcherClient.close();
    }
    stubs.shutdown();
    dataSource.stop();
  }
}
