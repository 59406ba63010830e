package dev.trainyard.e2e.support;

import dev.trainyard.app.cli.ApiClient;
import dev.trainyard.app.dev.EmbeddedS3;
import dev.trainyard.store.EmbeddedDatabase;
import dev.trainyard.workflows.client.TemporalClients;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;

/**
 * Trainyard as production runs it, on one machine: PostgreSQL, {@code temporal server start-dev}
 * (durable, with its UI), the API and N workers as separate JVMs running the distribution's {@code
 * server} and {@code worker} commands with the shipped example configs (filled from the
 * environment, as compose does), and the scripted trainer as real processes.
 */
public final class ProductionStack implements AutoCloseable {
  private static final String MAIN = "dev.trainyard.app.Main";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Path output;
  private final String classpath;
  private final String jwtSecret = HexFormat.of().formatHex(SecureRandom.getSeed(24));
  private final int apiPort = Ports.free();
  private final int adminPort = Ports.free();
  // example-api.yml serves the trainers' callbacks on a port of their own
  private final int callbackPort = Ports.free();
  private final List<AutoCloseable> closeLast = new ArrayList<>();
  private final List<ChildProcess> workers = new ArrayList<>();
  private EmbeddedDatabase database;
  private EmbeddedS3 s3;
  private TemporalDevServer temporal;
  private ChildProcess api;
  private int apiStarts;
  private String adminKey;
  private WorkflowClient client;

  private ProductionStack(Path output, String classpath) {
    this.output = output;
    this.classpath = classpath;
  }

  public static ProductionStack start(int workerCount) throws Exception {
    Path output = Repository.outputDirectory();
    Distribution.deleteRecursively(output);
    Files.createDirectories(output.resolve("logs"));
    ProductionStack stack = new ProductionStack(output, Distribution.classpath());
    try {
      stack.startAll(workerCount);
    } catch (Exception | Error e) {
      stack.close();
      throw e;
    }
    return stack;
  }

  private void startAll(int workerCount) throws Exception {
    Path temporalBinary = Executables.temporal();
    database = EmbeddedDatabase.startTemporary();
    closeLast.add(database);
    // The workers' storage block (example-worker.yml): they archive trainer logs there.
    s3 = EmbeddedS3.start(output.resolve("s3"), 0);
    closeLast.add(s3);
    temporal = TemporalDevServer.start(temporalBinary, output.resolve("temporal.db"), logs());
    closeLast.add(temporal);
    client = TemporalClients.connect(temporal.target(), "default");
    closeLast.add(client.getWorkflowServiceStubs()::shutdownNow);
    startApi();
    for (int i = 1; i <= workerCount; i++) {
      workers.add(startWorker(i));
    }
    for (ChildProcess worker : workers) {
      Path ready = readyFile(worker.name());
      worker.awaitReady(() -> Files.exists(ready), START_TIMEOUT);
    }
  }

  /**
   * Starts the API process (again, after {@link #killApi()}) on the same ports, and waits for it.
   */
  public void startApi() throws IOException, InterruptedException {
    apiStarts++;
    api =
        ChildProcess.start(
            "api-" + apiStarts,
            java(
                "server",
                Repository.file("api-service/src/main/resources/example-api.yml").toString()),
            apiEnvironment(),
            Repository.root(),
            logs().resolve("api-" + apiStarts + ".log"));
    ApiClient probe = adminKey == null ? E2eApi.client(apiUrl(), null) : api();
    api.awaitReady(() -> E2eApi.answers(probe), START_TIMEOUT);
    if (adminKey == null) {
      adminKey = bootstrapKey();
    }
  }

  /**
   * The first key, made as docs/operations.md tells an operator to: {@code trainyard admin
   * create-key} against the API's configuration, with the suite's project created on the way.
   */
  private String bootstrapKey() throws IOException, InterruptedException {
    List<String> command =
        java(
            "admin",
            "create-key",
            "--config",
            Repository.file("api-service/src/main/resources/example-api.yml").toString(),
            "--project",
            E2eApi.PROJECT,
            "--create-project",
            "--role",
            "admin",
            "--name",
            "e2e-suite");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(Repository.root().toFile())
            .redirectError(logs().resolve("admin-create-key.log").toFile());
    builder.environment().putAll(apiEnvironment());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes()).trim();
    if (process.waitFor() != 0 || !out.startsWith("ty_")) {
      throw new IllegalStateException(
          "trainyard admin create-key failed (exit "
              + process.exitValue()
              + "); see "
              + logs().resolve("admin-create-key.log"));
    }
    return out;
  }

  /** What the shipped example-api.yml reads from the environment. */
  private Map<String, String> apiEnvironment() {
    return Map.of(
        "TRAINYARD_DB_URL", database.jdbcUrl(),
        "TRAINYARD_DB_USER", EmbeddedDatabase.USER,
        "TRAINYARD_TEMPORAL_TARGET", temporal.target(),
        "TRAINYARD_TEMPORAL_NAMESPACE", "default",
        "TRAINYARD_JWT_SECRET", jwtSecret,
        "TRAINYARD_API_PORT", Integer.toString(apiPort),
        "TRAINYARD_CALLBACK_PORT", Integer.toString(callbackPort),
        "TRAINYARD_ADMIN_PORT", Integer.toString(adminPort));
  }

  /** SIGKILL the API process. */
  public void killApi() throws InterruptedException {
    api.kill9();
  }

  private ChildProcess startWorker(int n) throws IOException {
    String name = "worker-" + n;
    return ChildProcess.start(
        name,
        java(
            "worker",
            Repository.file("worker/src/main/resources/example-worker.yml").toString(),
            "--ready-file",
            readyFile(name).toString()),
        Map.ofEntries(
            Map.entry("TRAINYARD_DB_URL", database.jdbcUrl()),
            Map.entry("TRAINYARD_DB_USER", EmbeddedDatabase.USER),
            Map.entry("TRAINYARD_TEMPORAL_TARGET", temporal.target()),
            Map.entry("TRAINYARD_TEMPORAL_NAMESPACE", "default"),
            Map.entry("TRAINYARD_JWT_SECRET", jwtSecret),
            Map.entry("TRAINYARD_JOBS_DIR", jobsDirectory().toString()),
            Map.entry("TRAINYARD_HOME", Repository.root().toString()),
            Map.entry("TRAINYARD_BACKEND_URL", "http://127.0.0.1:" + callbackPort),
            Map.entry("TRAINYARD_S3_ENDPOINT", s3.endpoint()),
            Map.entry("TRAINYARD_S3_ACCESS_KEY", EmbeddedS3.ACCESS_KEY),
            Map.entry("TRAINYARD_S3_SECRET_KEY", EmbeddedS3.SECRET_KEY),
            // example-worker.yml's admin port is 8084: each worker of this machine needs its own
            Map.entry("TRAINYARD_WORKER_ADMIN_PORT", Integer.toString(Ports.free()))),
        Repository.root(),
        logs().resolve(name + ".log"));
  }

  private List<String> java(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-cp",
                classpath,
                MAIN));
    command.addAll(List.of(args));
    return command;
  }

  private Path readyFile(String workerName) {
    return output.resolve(workerName + ".ready");
  }

  public List<ChildProcess> workers() {
    return workers;
  }

  /** A client with the suite's project-admin key (made by {@code trainyard admin create-key}). */
  public ApiClient api() {
    return E2eApi.client(apiUrl(), adminKey);
  }

  public String apiUrl() {
    return "http://127.0.0.1:" + apiPort;
  }

  public WorkflowClient temporalClient() {
    return client;
  }

  public String temporalUiUrl() {
    return temporal.uiUrl();
  }

  public Jdbi jdbi() {
    return Jdbi.create(database.dataSource());
  }

  public Path output() {
    return output;
  }

  public Path logs() {
    return output.resolve("logs");
  }

  public Path jobsDirectory() {
    return output.resolve("jobs");
  }

  public String trainerLog(long jobId) throws IOException {
    return Files.readString(
        jobsDirectory().resolve("job-" + jobId).resolve("trainer.log"), StandardCharsets.UTF_8);
  }

  /**
   * Workers and API first (SIGTERM), then any trainer still running, then Temporal and PostgreSQL.
   */
  @Override
  public void close() {
    workers.forEach(ChildProcess::close);
    if (api != null) {
      api.close();
    }
    stopLeftoverTrainers();
    for (int i = closeLast.size() - 1; i >= 0; i--) {
      try {
        closeLast.get(i).close();
      } catch (Exception e) {
        System.err.println("e2e: closing " + closeLast.get(i) + " failed: " + e);
      }
    }
  }

  private void stopLeftoverTrainers() {
    if (!Files.isDirectory(jobsDirectory())) {
      return;
    }
    try (Stream<Path> pidFiles = Files.walk(jobsDirectory(), 2)) {
      pidFiles
          .filter(p -> p.getFileName().toString().equals("trainer.pid"))
          .forEach(
              p -> {
                try {
                  ProcessHandle.of(Long.parseLong(Files.readString(p).trim()))
                      .filter(h -> h.info().commandLine().orElse("").contains("scripted_trainer"))
                      .ifPresent(ProcessHandle::destroyForcibly);
                } catch (IOException | NumberFormatException ignored) {
                  // a trainer that left no readable pid file has nothing to stop
                }
              });
    } catch (IOException e) {
      System.err.println("e2e: cannot look for leftover trainers: " + e);
    }
  }
}
