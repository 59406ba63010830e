package dev.trainyard.bench.stack;

import dev.trainyard.app.dev.ApiConfigFile;
import dev.trainyard.app.logging.LogFormat;
import dev.trainyard.app.temporal.TemporalConfigFiles;
import dev.trainyard.bench.launcher.LaunchReceiver;
import dev.trainyard.bench.launcher.LaunchSink;
import dev.trainyard.bench.report.ProcessSampler;
import dev.trainyard.store.EmbeddedDatabase;
import dev.trainyard.workflows.JobSearchAttributes;
import dev.trainyard.workflows.client.SearchAttributeRegistration;
import io.temporal.testserver.TestServer;
import java.io.Closeable;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The production shape on one machine, for measurements: PostgreSQL (embedded, its own processes),
 * Temporal ({@code temporal server start-dev} when the CLI is found, else the test server in this
 * JVM), the API as its own JVM ({@code trainyard server}), one worker as its own JVM with the
 * simulated launcher, which hands launches back to this process's simulator over loopback HTTP.
 */
public final class ProcessStack implements AutoCloseable {
  public final String jwtSecret = "bench-" + UUID.randomUUID() + "-" + UUID.randomUUID();
  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private EmbeddedDatabase database;
  private String temporalTarget;
  private String temporalDescription;
  private Process temporal;
  private Process api;
  private Process worker;
  private String apiUrl;
  private String apiAdminUrl;
  private Path dataDirectory;

  public record Settings(
      Path dataDirectory,
      Optional<Path> temporalCli,
      Optional<Path> temporalConfig,
      boolean temporalInMemory,
      int apiDatabasePool,
      Duration progressSignalInterval,
      String javaOptions,
      boolean metrics) {}

  public static ProcessStack start(Settings settings, LaunchSink sink) throws Exception {
    ProcessStack stack = new ProcessStack();
    try {
      stack.startAll(settings, sink);
    } catch (Exception | Error e) {
      stack.close();
      throw e;
    }
    return stack;
  }

  private void startAll(Settings settings, LaunchSink sink) throws Exception {
    Path data = settings.dataDirectory();
    dataDirectory = data;
    Files.createDirectories(data);
    database = EmbeddedDatabase.start(data.resolve("postgres"), 0);
    running.push(database);
    startTemporal(settings);
    int apiPort = InProcessStack.freePort();
    apiUrl = "http://127.0.0.1:" + apiPort;
    int adminPort = InProcessStack.freePort();
    apiAdminUrl = "http://127.0.0.1:" + adminPort;
    Path config =
        ApiConfigFile.of(database.jdbcUrl(), temporalTarget, jwtSecret, apiPort)
            .adminPort(adminPort)
            .metrics(settings.metrics())
            .databasePool(settings.apiDatabasePool())
            .progressSignalInterval(settings.progressSignalInterval())
            .logLevels("WARN", Map.of())
            .file(data.resolve("api.log"), LogFormat.PATTERN)
            .write(data.resolve("api.yml"));
    api =
        java(
            settings,
            List.of("dev.trainyard.app.Main", "server", config.toString()),
            data.resolve("api.out"));
    waitForPort(apiPort, api, "API");
    LaunchReceiver receiver = LaunchReceiver.start(sink);
    running.push(receiver);
    worker =
        java(
            settings,
            List.of(
                SimulatedWorker.class.getName(),
                temporalTarget,
                database.jdbcUrl(),
                apiUrl,
                receiver.url()),
            data.resolve("worker.out"));
    waitForLine(data.resolve("worker.out"), "simulated worker ready", worker);
  }

  private void startTemporal(Settings settings) throws Exception {
    int port = InProcessStack.freePort();
    temporalTarget = "127.0.0.1:" + port;
    if (settings.temporalCli().isPresent()) {
      List<String> command =
          new ArrayList<>(
              List.of(
                  settings.temporalCli().get().toString(),
                  "server",
                  "start-dev",
                  "--ip",
                  "127.0.0.1",
                  "--port",
                  Integer.toString(port),
                  "--headless",
                  "--log-level",
                  "warn"));
      if (!settings.temporalInMemory()) {
        command.addAll(
            List.of("--db-filename", settings.dataDirectory().resolve("temporal.db").toString()));
      }
      settings
          .temporalConfig()
          .ifPresent(dir -> command.addAll(new TemporalConfigFiles(dir).devServerFlags()));
      JobSearchAttributes.definitions()
          .forEach(
              (name, type) -> {
                command.add("--search-attribute");
                command.add(name + "=" + cliType(type.name()));
              });
      temporal =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(settings.dataDirectory().resolve("temporal.log").toFile())
              .start();
      running.push(() -> stop(temporal));
      waitForPort(port, temporal, "Temporal");
      temporalDescription =
          "temporal server start-dev ("
              + (settings.temporalInMemory() ? "in-memory" : "SQLite file")
              + ")";
    } else {
      Closeable server = TestServer.createPortBoundServer(port);
      running.push(server::close);
      SearchAttributeRegistration.register(temporalTarget, "default");
      temporalDescription = "Temporal test server (in the bench JVM)";
    }
  }

  /** INDEXED_VALUE_TYPE_KEYWORD → Keyword, INDEXED_VALUE_TYPE_INT → Int. */
  static String cliType(String enumName) {
    StringBuilder out = new StringBuilder();
    for (String part : enumName.replace("INDEXED_VALUE_TYPE_", "").split("_")) {
      out.append(part.charAt(0)).append(part.substring(1).toLowerCase());
    }
    return out.toString();
  }

  private Process java(Settings settings, List<String> mainAndArgs, Path output)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (settings.javaOptions() != null && !settings.javaOptions().isBlank()) {
      command.addAll(List.of(settings.javaOptions().trim().split("\\s+")));
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.addAll(mainAndArgs);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().put("TRAINYARD_JWT_SECRET", jwtSecret);
    Process process = builder.start();
    running.push(() -> stop(process));
    return process;
  }

  private static void waitForPort(int port, Process process, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException(what + " did not start (see the data directory's logs)");
        }
        Thread.sleep(200);
      }
    }
  }

  private static void waitForLine(Path file, String line, Process process) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!(Files.exists(file) && Files.readString(file).contains(line))) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("the worker did not start; see " + file);
      }
      Thread.sleep(200);
    }
  }

  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

  public String apiUrl() {
    return apiUrl;
  }

  /** The API's admin port: health checks and {@code /metrics}. */
  public String apiAdminUrl() {
    return apiAdminUrl;
  }

  public String temporalTarget() {
    return temporalTarget;
  }

  public String temporalDescription() {
    return temporalDescription;
  }

  public String jdbcUrl() {
    return database.jdbcUrl();
  }

  public EmbeddedDatabase database() {
    return database;
  }

  /** The process groups a {@link ProcessSampler} follows. */
  public Map<String, java.util.function.Supplier<List<Long>>> processGroups() {
    Map<String, java.util.function.Supplier<List<Long>>> groups = new java.util.LinkedHashMap<>();
    groups.put("api", () -> List.of(api.pid()));
    groups.put("worker", () -> List.of(worker.pid()));
    if (temporal != null) {
      groups.put("temporal", () -> List.of(temporal.pid()));
    }
    long postmaster = postmasterPid();
    groups.put(
        "postgresql",
        () ->
            ProcessHandle.of(postmaster)
                .map(
                    h ->
                        Stream.concat(Stream.of(h), h.descendants())
                            .map(ProcessHandle::pid)
                            .toList())
                .orElse(List.of()));
    groups.put(
        "bench (simulator" + (temporal == null ? " + Temporal" : "") + ")",
        () -> List.of(ProcessHandle.current().pid()));
    return groups;
  }

  /** pg_ctl detaches the postmaster from us; find it by its data directory. */
  private long postmasterPid() {
    return ProcessSampler.pidsWithCommandLine(dataDirectory.resolve("postgres").toString()).stream()
        .filter(
            pid ->
                ProcessHandle.of(pid)
                    .flatMap(h -> h.info().command())
                    .map(c -> c.endsWith("/postgres"))
                    .orElse(false))
        .findFirst()
        .orElse(-1L);
  }

  @Override
  public synchronized void close() {
    while (!running.isEmpty()) {
      try {
        running.pop().close();
      } catch (Exception e) {
        System.err.println("bench: stopping a part failed: " + e);
      }
    }
  }
}
