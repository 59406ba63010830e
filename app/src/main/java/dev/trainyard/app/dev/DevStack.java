package dev.trainyard.app.dev;

import dev.trainyard.activities.LocalLauncherConfig;
import dev.trainyard.app.StartupException;
import dev.trainyard.app.logging.DevLogging;
import dev.trainyard.app.logging.LogFormat;
import dev.trainyard.store.Database;
import dev.trainyard.store.EmbeddedDatabase;
import dev.trainyard.worker.FrameworkRegistration;
import dev.trainyard.worker.LogArchiving;
import dev.trainyard.worker.ServedFrameworks;
import dev.trainyard.worker.WorkerProcess;
import dev.trainyard.worker.admin.WorkerAdminServer;
import dev.trainyard.worker.admin.WorkerHealth;
import dev.trainyard.worker.metrics.WorkerMetrics;
import dev.trainyard.workflows.client.SearchAttributeRegistration;
import dev.trainyard.workflows.client.TemporalClients;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trainyard on one machine with nothing installed but Java and Python: embedded PostgreSQL,
 * Temporal (the dev server when the CLI is installed, else the test server), the API and a worker
 * in this JVM, and trainers as local processes. Stops everything in reverse order on close.
 */
public final class DevStack implements AutoCloseable {
  public static final String NAMESPACE = "default";
  public static final String DEMO_DATASET = "demo-shapes";

  /** The project the dev stack creates, which the demo's jobs and dataset belong to. */
  public static final String DEMO_PROJECT = DevAdminKey.PROJECT;

  private static final Duration TRAINER_GRACE = Duration.ofSeconds(10);

  /** Trainer logs reach the embedded S3 this often while they run (the worker default is 30 s). */
  static final Duration LOG_ARCHIVE_INTERVAL = Duration.ofSeconds(5);

  /** The dev stack's one worker: started again, it replaces the frameworks it registered. */
  static final String WORKER_ID = "dev-stack";

  private static final Logger log = LoggerFactory.getLogger(DevStack.class);

  private final DevSettings settings;
  private final Deque<Map.Entry<String, AutoCloseable>> running = new ArrayDeque<>();
  private String jwtSecret;
  private EmbeddedDatabase database;
  private EmbeddedS3 s3;
  private TemporalService temporal;
  private String apiUrl;
  private Path apiConfig;
  private EmbeddedApiServer api;
  private String adminKey;
  private LocalLauncherConfig trainers;
  private WorkerAdminServer workerAdmin;

  private DevStack(DevSettings settings) {
    this.settings = settings;
  }

  public static DevStack start(DevSettings settings) throws Exception {
    DevStack stack = new DevStack(settings);
    try {
      stack.startAll();
    } catch (Exception | Error e) {
      stack.close();
      throw e;
    }
    return stack;
  }

  private void startAll() throws Exception {
    // Checked first: finding out after PostgreSQL and Temporal have started wastes the user's time.
    if (settings.httpPort() > 0 && !Ports.isFree(settings.httpPort())) {
      throw new StartupException(
          "port "
              + settings.httpPort()
              + " is in use (another trainyard"
              + " dev?); stop it or set "
              + DevSettings.HTTP_PORT_ENV
              + " to another port");
    }
    prepareDirectories();
    DevLogging.toConsoleAndFile(settings.logFile(), settings.consoleInfo());
    jwtSecret = DevSecret.choose(settings.jwtSecret(), settings.dataDirectory());

    Path postgres = settings.dataDirectory().resolve("postgres");
    log.info("starting embedded PostgreSQL in {}", postgres);
    database = EmbeddedDatabase.start(postgres, 0, databasePasswordFile(postgres));
    running.push(Map.entry("PostgreSQL", database));
    Jdbi jdbi = Database.connect(database.dataSource());
    adminKey = DevAdminKey.ensure(jdbi, settings.adminKeyFile());

    s3 = EmbeddedS3.start(settings.dataDirectory().resolve("s3"), 0);
    running.push(Map.entry("S3", s3));

    temporal = startTemporal();
    running.push(Map.entry("Temporal", temporal));
    SearchAttributeRegistration.register(temporal.target(), NAMESPACE);

    apiConfig = writeApiConfig(settings.httpPort());
    api = EmbeddedApiServer.start(apiConfig);
    running.push(Map.entry("API", () -> api.close()));
    apiUrl = "http://127.0.0.1:" + api.port();
    if (settings.httpPort() == 0) {
      apiConfig = writeApiConfig(api.port()); // a restart keeps the port its clients know
    }

    // the worker's own registry and admin port, as a `trainyard worker` process would have them
    WorkerMetrics workerMetrics = WorkerMetrics.start();
    running.push(Map.entry("worker metrics", workerMetrics));
    WorkflowClient client =
        TemporalClients.connect(temporal.target(), NAMESPACE, workerMetrics.temporalScope());
    running.push(Map.entry("Temporal client", client.getWorkflowServiceStubs()::shutdown));
    trainers =
        new LocalLauncherConfig(
            TrainerFrameworks.commands(System.getenv(), Path.of(""), settings.trainerCommand()),
            TrainerFrameworks.everyOtherFramework(System.getenv()),
            settings.jobsDirectory(),
            apiUrl,
            trainerEnvironment());
    // Closed after the worker (pushed before it): the trainers' last copies finish first.
    LogArchiving logArchiving = LogArchiving.to(s3.settings(), LOG_ARCHIVE_INTERVAL);
    running.push(Map.entry("trainer log archive", logArchiving));
    running.push(
        Map.entry(
            "worker",
            WorkerProcess.startWorker(
                client,
                jdbi,
                trainers,
                jwtSecret.getBytes(StandardCharsets.UTF_8),
                workerMetrics,
                logArchiving.archiver())));
    WorkerHealth workerHealth = new WorkerHealth(client.getWorkflowServiceStubs(), jdbi);
    running.push(Map.entry("worker health", workerHealth));
    workerAdmin = WorkerAdminServer.start("127.0.0.1", 0, workerHealth, workerMetrics.registry());
    running.push(Map.entry("worker admin port", workerAdmin));
    running.push(
        Map.entry(
            "framework registration",
            FrameworkRegistration.start(jdbi, WORKER_ID, ServedFrameworks.of(trainers))));
    if (!temporal.durable()) {
      // Stopped first on close, while the API and worker still run: their done and exit are
      // recorded, and the worker need not wait out the trainers' awaitExit activities.
      running.push(
          Map.entry("trainers", () -> ChildTrainers.stop(settings.jobsDirectory(), TRAINER_GRACE)));
    }
    log.info(
        "dev stack running: API {}, Temporal {}{}",
        apiUrl,
        temporal.target(),
        temporal.uiUrl().map(ui -> ", Temporal UI " + ui).orElse(""));
  }

  private Path writeApiConfig(int port) throws IOException {
    return ApiConfigFile.of(database.jdbcUrl(), temporal.target(), jwtSecret, port)
        .databasePassword(database.password())
        .logLevels("INFO", LogFormat.QUIETED)
        .console(LogFormat.PATTERN, settings.consoleInfo())
        .file(settings.logFile(), LogFormat.PATTERN)
        .storage(s3.settings())
        .trainerLogs(settings.jobsDirectory())
        .dashboard(temporal.uiUrl().orElse(null))
        .write(settings.dataDirectory().resolve("api.yml"));
  }

  /**
   * Stops the API and starts it again on the same port, as a deploy or a crash would (tests of
   * clients that must ride it out: the dashboard's streams, the CLI's follow). Trainers and the
   * worker keep running meanwhile.
   */
  public synchronized void restartApi() throws Exception {
    api.close();
    api = EmbeddedApiServer.start(apiConfig);
  }

  /**
   * The embedded database's password, kept in the data dir (mode 600) and made on first start. A
   * cluster that already asks for a password but whose file is gone cannot be opened: said, rather
   * than failing on the login.
   */
  private Path databasePasswordFile(Path postgres) throws IOException {
    Path file = settings.databasePasswordFile();
    Path hba = postgres.resolve("pg_hba.conf");
    if (!Files.exists(file)
        && Files.exists(hba)
        && Files.readAllLines(hba, StandardCharsets.UTF_8).stream()
            .filter(line -> !line.strip().startsWith("#")) // the comments name every method
            .noneMatch(line -> line.matches(".*\\btrust\\s*$"))) {
      throw new StartupException(
          "the PostgreSQL in "
              + postgres
              + " needs the password that was kept in "
              + file
              + ", which is gone: restore it, or delete "
              + postgres
              + " to start with an empty database");
    }
    DevSecret.loadOrCreateIn(file);
    return file;
  }

  /** Storage, MLflow and work folders for every trainer; all under the data dir. */
  private Map<String, String> trainerEnvironment() {
    Map<String, String> env = new java.util.LinkedHashMap<>(s3.trainerEnvironment());
    env.put("DATASET_ROOT", settings.datasetsDirectory().toString());
    env.put("MLFLOW_TRACKING_URI", mlflowTrackingUri());
    env.put("MLFLOW_ALLOW_FILE_STORE", "true");
    env.put("TRAINER_WORK_DIR", settings.dataDirectory().resolve("trainer-work").toString());
    return env;
  }

  /**
   * MLflow's local file store under the data dir ({@code mlflow ui --backend-store-uri} reads it).
   */
  public String mlflowTrackingUri() {
    return settings.dataDirectory().resolve("mlruns").toUri().toString();
  }

  public EmbeddedS3 s3() {
    return s3;
  }

  private void prepareDirectories() throws IOException {
    for (Path dir :
        List.of(
            settings.dataDirectory(),
            settings.logDirectory(),
            settings.jobsDirectory(),
            demoDatasetDirectory())) {
      Files.createDirectories(dir);
    }
    Path readme = demoDatasetDirectory().resolve("README.txt");
    if (!Files.exists(readme)) {
      Files.writeString(
          readme,
          "Placeholder dataset for the scripted trainer: it only checks"
              + " that this folder exists.\n",
          StandardCharsets.UTF_8);
    }
  }

  /**
   * The scripted trainer's placeholder dataset: it looks for {@code $DATASET_ROOT/$DATASET_ID}, and
   * a job's DATASET_ID is {@code <project>/<dataset id>}.
   */
  private Path demoDatasetDirectory() {
    return settings.datasetsDirectory().resolve(DEMO_PROJECT).resolve(DEMO_DATASET);
  }

  private TemporalService startTemporal() throws IOException, InterruptedException {
    int port = Ports.preferredOrFree(settings.temporalPort());
    if (settings.temporalPort() > 0 && port != settings.temporalPort()) {
      log.warn("port {} is taken; Temporal uses port {}", settings.temporalPort(), port);
    }
    if (settings.temporalCli().isPresent()) {
      return TemporalCliServer.start(
          settings.temporalCli().get(),
          port,
          settings.dataDirectory().resolve("temporal.db"),
          settings.logDirectory().resolve("temporal.log"));
    }
    return TemporalTestServer.start(port);
  }

  public String apiUrl() {
    return apiUrl;
  }

  /** The API's admin port: Dropwizard's health checks, {@code /metrics} (Prometheus text). */
  public String apiAdminUrl() {
    return "http://127.0.0.1:" + api.adminPort();
  }

  /** The worker's admin port: {@code /healthcheck}, {@code /metrics}. */
  public String workerAdminUrl() {
    return "http://127.0.0.1:" + workerAdmin.port();
  }

  /**
   * The stack's global admin key (also in {@link DevSettings#adminKeyFile()}): for the demo and
   * tests, never for a log line or the banner.
   */
  public String adminKey() {
    return adminKey;
  }

  /**
   * The callback-token key (dev only): tests use it to mint tokens the API must accept or reject.
   */
  public String jwtSecret() {
    return jwtSecret;
  }

  public String temporalTarget() {
    return temporal.target();
  }

  public String jdbcUrl() {
    return database.jdbcUrl();
  }

  /** The password of {@link EmbeddedDatabase#USER} (bench and tests that open the database). */
  public String databasePassword() {
    return database.password();
  }

  public DevSettings settings() {
    return settings;
  }

  /** Where everything is, for the person who started the stack. */
  public String summary() {
    return summary(true);
  }

  /**
   * @param withHint end with a command to try (pointless when the stack is about to stop)
   */
  public String summary(boolean withHint) {
    StringBuilder text = new StringBuilder("Trainyard dev stack is running\n");
    line(text, "API", apiUrl);
    line(text, "Metrics", apiAdminUrl() + "/metrics  (worker: " + workerAdminUrl() + "/metrics)");
    line(text, "Temporal", temporal.target() + "  (" + temporal.description() + ")");
    temporal.uiUrl().ifPresent(ui -> line(text, "Temporal UI", ui));
    line(
        text,
        "PostgreSQL",
        database.jdbcUrl()
            + "  (user "
            + EmbeddedDatabase.USER
            + ", password in "
            + settings.databasePasswordFile()
            + ")");
    line(text, "S3", s3.endpoint() + "  (bucket " + EmbeddedS3.BUCKET + ")");
    line(text, "MLflow", mlflowTrackingUri());
    line(
        text,
        "Admin key",
        settings.adminKeyFile()
            + "  (global admin, mode 600; the CLI on this machine uses it; project "
            + DEMO_PROJECT
            + ")");
    line(text, "Data dir", settings.dataDirectory().toString());
    line(text, "Log", settings.logFile().toString());
    line(text, "Trainer logs", settings.jobsDirectory().resolve("job-<id>/trainer.log").toString());
    // Jobs run their framework's trainer; other frameworks only when a default one is set.
    trainers
        .commandsByFramework()
        .forEach(
            (framework, command) ->
                line(text, "Trainer", framework + ": " + String.join(" ", command)));
    line(
        text,
        "Trainer",
        "other frameworks: "
            + (trainers.defaultCommand().isEmpty()
                ? "refused (set " + DevSettings.TRAINER_COMMAND_ENV + " to run them)"
                : String.join(" ", trainers.defaultCommand())));
    line(text, "Datasets", settings.datasetsDirectory().toString());
    if (!withHint) {
      return text.toString().stripTrailing();
    }
    text.append("Try: ./trainyard submit --project ")
        .append(DEMO_PROJECT)
        .append(" --framework scripted --model demo-net --dataset ")
        .append(DEMO_DATASET)
        .append(" --epochs 5 --follow");
    if (!apiUrl.equals("http://127.0.0.1:8080")) {
      text.append(" --api ").append(apiUrl);
    }
    return text.toString();
  }

  private static void line(StringBuilder text, String label, String value) {
    text.append(String.format("  %-13s %s%n", label, value));
  }

  /** Stops what was started, newest first; one failure does not keep the rest running. */
  @Override
  public synchronized void close() {
    while (!running.isEmpty()) {
      Map.Entry<String, AutoCloseable> part = running.pop();
      try {
        part.getValue().close();
      } catch (Exception e) {
        log.warn("stopping {} failed: {}", part.getKey(), e.toString());
      }
    }
  }
}
