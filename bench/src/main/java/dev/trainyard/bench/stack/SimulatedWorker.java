package dev.trainyard.bench.stack;

import com.codahale.metrics.MetricRegistry;
import dev.trainyard.activities.CallbackTokenIssuer;
import dev.trainyard.activities.JdbiJobStore;
import dev.trainyard.bench.launcher.HttpLaunchSink;
import dev.trainyard.bench.launcher.LaunchSink;
import dev.trainyard.bench.launcher.SimulatedLauncher;
import dev.trainyard.store.Database;
import dev.trainyard.store.frameworks.TrainerFrameworkDao;
import dev.trainyard.worker.FrameworkRegistration;
import dev.trainyard.worker.TrainyardWorker;
import dev.trainyard.workflows.client.TemporalClients;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * A Trainyard worker whose launcher is {@link SimulatedLauncher}: the real workflow and job store,
 * virtual trainers. Run in-process by tests, or as its own process by the bench ({@link #main}) so
 * that its memory and CPU can be measured apart from the API's.
 */
public final class SimulatedWorker implements AutoCloseable {
  private final ManagedDataSource dataSource;
  private final WorkflowServiceStubs stubs;
  private final TrainyardWorker worker;
  private final FrameworkRegistration registration;

  private SimulatedWorker(
      ManagedDataSource dataSource,
      WorkflowServiceStubs stubs,
      TrainyardWorker worker,
      FrameworkRegistration registration) {
    this.dataSource = dataSource;
    this.stubs = stubs;
    this.worker = worker;
    this.registration = registration;
  }

  public static SimulatedWorker start(
      String temporalTarget, String jdbcUrl, byte[] jwtSecret, String apiUrl, LaunchSink sink)
      throws Exception {
    DataSourceFactory factory = new DataSourceFactory();
    factory.setDriverClass("org.postgresql.Driver");
    factory.setUrl(jdbcUrl);
    factory.setUser("postgres");
    factory.setPassword("");
    factory.setMaxSize(16);
    factory.setMinSize(2);
    factory.setInitialSize(2);
    ManagedDataSource dataSource = factory.build(new MetricRegistry(), "simulated-worker");
    dataSource.start();
    WorkflowClient client = TemporalClients.connect(temporalTarget, "default");
    Jdbi jdbi = Database.connect(dataSource);
    TrainyardWorker worker =
        TrainyardWorker.start(
            client,
            new JdbiJobStore(jdbi),
            new SimulatedLauncher(new CallbackTokenIssuer(jwtSecret), apiUrl, sink));
    // A virtual trainer runs any framework, as a worker with a default trainer does.
    FrameworkRegistration registration =
        FrameworkRegistration.start(
            jdbi,
            FrameworkRegistration.processWorkerId(),
            Set.of(TrainerFrameworkDao.ANY_FRAMEWORK));
    return new SimulatedWorker(dataSource, client.getWorkflowServiceStubs(), worker, registration);
  }

  /** Args: TEMPORAL_TARGET JDBC_URL API_URL SIMULATOR_URL; the secret in TRAINYARD_JWT_SECRET. */
  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: SimulatedWorker TEMPORAL_TARGET JDBC_URL API_URL SIMULATOR_URL");
      System.exit(2);
    }
    String secret = System.getenv("TRAINYARD_JWT_SECRET");
    if (secret == null || secret.isBlank()) {
      System.err.println("TRAINYARD_JWT_SECRET is not set");
      System.exit(2);
    }
    // Temporal logs every failed activity with its stack at WARN; the simulated launcher's
    // awaitExit fails by design (WATCH_UNSUPPORTED) once per job, which would flood the log.
    ((ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger("io.temporal.internal.activity"))
        .setLevel(ch.qos.logback.classic.Level.ERROR);
    SimulatedWorker worker =
        start(
            args[0],
            args[1],
            secret.getBytes(StandardCharsets.UTF_8),
            args[2],
            new HttpLaunchSink(args[3]));
    Runtime.getRuntime().addShutdownHook(new Thread(worker::close));
    System.out.println("simulated worker ready");
    System.out.flush();
    Thread.currentThread().join();
  }

  @Override
  public void close() {
    registration.close();
    worker.close();
    stubs.shutdown();
    try {
      dataSource.stop();
    } catch (Exception e) {
      // closing anyway
    }
  }
}
